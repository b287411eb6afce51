// A streaming XLSX (SpreadsheetML) writer over fflate's streaming Zip container, deflated by Node's zlib
// (docs/analytics.md → "Exports").
//
// Why hand-written: the workbook is four plain tables. exceljs's WorkbookWriter streams too, but it
// pushes into Node streams with no backpressure from the HTTP response and brings a large dependency
// tree; here the response PULLS: each pull of the ReadableStream reads one keyset page (one SQL
// statement) and deflates it, so at most one page of rows and fflate's window are in memory however
// large the event is.
//
// Cells (never formulas: no cell is ever written with <f>, strings are inline strings):
// - a number → a number cell;
// - money as the CSV writes it ("1500.00") → a number with the 0.00 format;
// - a time as the CSV writes it in the event's zone ("2027-03-15 19:00:05") → a date cell of that
//   wall-clock time (yyyy-mm-dd hh:mm:ss), so sorting and filtering work; the header names the zone;
// - any other text → an inline string after the same formula guard as the CSV (neutraliseFormula:
//   a leading = + - @ tab or CR gets a ' prefix), so the cell reads exactly like the CSV's and stays
//   inert when it is edited, re-saved as CSV or opened by a tool that evaluates text;
// - characters XML 1.0 forbids (control characters a participant pasted) are dropped; a text is cut
//   at Excel's 32,767 characters.
import "server-only";
import zlib from "node:zlib";
import { Zip, ZipPassThrough } from "fflate";
import { neutraliseFormula } from "@/lib/http/csv";

/**
 * A zip entry deflated by Node's zlib (C) instead of fflate's JavaScript deflate, which was the largest
 * part of the export's CPU (100,000 registrations + payments + check-ins: ~7 s of ~19 s). zlib's streaming
 * API is asynchronous, so each pushed part is compressed on its own, synchronously: parts that are not the
 * last end with a SYNC flush (byte-aligned, no "final" bit), the last with FINISH — concatenated, they are
 * one valid DEFLATE stream (each part starts without a dictionary: a page of rows is far larger than the
 * 32 KiB window, so the size cost is negligible). The CRC-32 is zlib's too.
 */
class NativeZipDeflate extends ZipPassThrough {
  private crcSoFar = 0;
  constructor(
    filename: string,
    private readonly level: number,
  ) {
    super(filename);
    this.compression = 8;
  }
  override push(chunk: Uint8Array, final?: boolean): void {
    if (!this.ondata) throw new Error("xlsx: a zip entry was written before it was added");
    this.crcSoFar = zlib.crc32(chunk, this.crcSoFar);
    this.size += chunk.length;
    if (final) this.crc = this.crcSoFar;
    this.process(chunk, final ?? false);
  }
  override process(chunk: Uint8Array, final: boolean): void {
    const flush = final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH;
    this.ondata(null, zlib.deflateRawSync(chunk, { level: this.level, finishFlush: flush }), final);
  }
}

const utf8 = (text: string): Uint8Array => Buffer.from(text, "utf8");

export type XlsxValue = string | number | null | undefined;

export type XlsxSheet = {
  /** The tab's name (at most 31 characters; []:*?/\ are replaced). */
  name: string;
  header: readonly string[];
  /** The rows, a page at a time (each page is one statement: nothing accumulates). */
  pages: () => AsyncIterable<XlsxValue[][]>;
};

const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAX_TEXT = 32_767;

/** Style indexes of cellXfs in styles.xml below. */
const STYLE = { header: 1, dateTime: 2, money: 3 } as const;

const MONEY = /^-?(?:0|[1-9]\d*)\.\d{2}$/;
const ZONED_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
// XML 1.0 allows tab, LF, CR and everything from U+0020 except the surrogates (lone ones) and U+FFFE/FFFF.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Anything escapeXml would change (most texts have none of it: they skip the replaces).
const NEEDS_ESCAPE = /[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(XML_FORBIDDEN, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\r/g, "&#13;");
}

/** A column's letters: 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Excel's serial day number of a wall-clock time (days since 1899-12-30; the 1900 leap-year bug lies before any real date). */
function excelSerial(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  return Date.UTC(year, month - 1, day, hour, minute, second) / 86_400_000 + 25_569;
}

function textCell(ref: string, text: string, style?: number): string {
  const safe = escapeXml(neutraliseFormula(text).slice(0, MAX_TEXT));
  return `<c r="${ref}" t="inlineStr"${style ? ` s="${style}"` : ""}><is><t xml:space="preserve">${safe}</t></is></c>`;
}

/** One cell's XML (empty for null / undefined / ""). */
export function cellXml(ref: string, value: XlsxValue): string {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "number") return Number.isFinite(value) ? `<c r="${ref}"><v>${value}</v></c>` : "";
  if (MONEY.test(value)) return `<c r="${ref}" s="${STYLE.money}"><v>${Number(value)}</v></c>`;
  const time = ZONED_TIME.exec(value);
  if (time) {
    const [y, mo, d, h, mi, s] = time.slice(1).map(Number);
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && s < 60) {
      return `<c r="${ref}" s="${STYLE.dateTime}"><v>${excelSerial(y, mo, d, h, mi, s)}</v></c>`;
    }
  }
  return textCell(ref, value);
}

// Column letters computed once (a row of 19 cells would otherwise compute them 1.9 million times per 100,000 rows).
const COLUMN_NAMES = Array.from({ length: 256 }, (_, i) => columnName(i));

function rowXml(rowNumber: number, values: readonly XlsxValue[]): string {
  let cells = "";
  for (let i = 0; i < values.length; i++) cells += cellXml(`${COLUMN_NAMES[i] ?? columnName(i)}${rowNumber}`, values[i]);
  return `<row r="${rowNumber}">${cells}</row>`;
}

function headerXml(values: readonly string[]): string {
  return `<row r="1">${values.map((v, i) => textCell(`${columnName(i)}1`, v, STYLE.header)).join("")}</row>`;
}

export function sheetName(name: string, index: number, taken: Set<string>): string {
  let clean = name.replace(/[[\]:*?/\\]/g, " ").trim().slice(0, 31) || `Sheet${index + 1}`;
  while (taken.has(clean.toLowerCase())) clean = `${clean.slice(0, 28)} ${index + 1}`;
  taken.add(clean.toLowerCase());
  return clean;
}

function contentTypes(count: number): string {
  const sheets = Array.from(
    { length: count },
    (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  ).join("");
  return `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${sheets}</Types>`;
}

const ROOT_RELS = `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

function workbook(names: string[]): string {
  const sheets = names.map((n, i) => `<sheet name="${escapeXml(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("");
  return `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets>${sheets}</sheets></workbook>`;
}

function workbookRels(count: number): string {
  const sheets = Array.from({ length: count }, (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join("");
  return `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets}<Relationship Id="rId${count + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`;
}

// cellXfs: 0 default, 1 header (bold), 2 date-time (numFmt 164), 3 money (built-in 2: 0.00).
const STYLES = `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

function sheetHead(header: readonly string[]): string {
  // widths from the header (a fixed guess: the rows are not known yet), the header row frozen
  const cols = header.map((h, i) => `<col min="${i + 1}" max="${i + 1}" width="${Math.min(Math.max(h.length + 2, 12), 40)}" customWidth="1"/>`).join("");
  return `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>${cols ? `<cols>${cols}</cols>` : ""}<sheetData>${headerXml(header)}`;
}

/**
 * The workbook as a byte stream. Nothing is read before the consumer pulls; each pull writes the next
 * part (the fixed parts, then one page of one sheet), and the stream ends after the last sheet. A
 * failing page errors the stream (the download breaks off rather than ending as a valid-looking file
 * with rows missing). Cancelling the stream stops reading.
 */
export function xlsxStream(sheets: readonly XlsxSheet[]): ReadableStream<Uint8Array> {
  const out: Uint8Array[] = [];
  let finished = false;
  let failure: unknown = null;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error;
    else out.push(chunk);
    if (final) finished = true;
  });
  const taken = new Set<string>();
  const names = sheets.map((s, i) => sheetName(s.name, i, taken));

  const addFixed = (path: string, text: string) => {
    const file = new NativeZipDeflate(path, 6);
    zip.add(file);
    file.push(utf8(text), true);
  };

  async function* steps(): AsyncGenerator<void> {
    addFixed("[Content_Types].xml", contentTypes(sheets.length));
    addFixed("_rels/.rels", ROOT_RELS);
    addFixed("xl/workbook.xml", workbook(names));
    addFixed("xl/_rels/workbook.xml.rels", workbookRels(sheets.length));
    addFixed("xl/styles.xml", STYLES);
    yield;
    for (let i = 0; i < sheets.length; i++) {
      // level 4 (zlib): most of level 6's size for a fraction of its time on repetitive XML
      const file = new NativeZipDeflate(`xl/worksheets/sheet${i + 1}.xml`, 4);
      zip.add(file);
      file.push(utf8(sheetHead(sheets[i].header)));
      let rowNumber = 2;
      for await (const page of sheets[i].pages()) {
        let xml = "";
        for (const row of page) xml += rowXml(rowNumber++, row);
        file.push(utf8(xml));
        yield;
      }
      file.push(utf8("</sheetData></worksheet>"), true);
      yield;
    }
    zip.end();
  }

  const iterator = steps();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Advance until fflate has output (a small page may deflate to nothing yet) or the zip is done.
      while (out.length === 0 && !finished) {
        const step = await iterator.next();
        if (failure) throw failure;
        if (step.done && !finished) throw new Error("xlsx: the zip did not finish");
      }
      for (const chunk of out.splice(0)) controller.enqueue(chunk);
      if (finished && out.length === 0) controller.close();
    },
    async cancel() {
      zip.terminate();
      await iterator.return(undefined);
    },
  });
}
