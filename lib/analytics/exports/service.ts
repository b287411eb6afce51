// An event's exports (issue 16; docs/analytics.md → "Exports"): one dataset as CSV, or the workbook
// with a sheet per dataset as XLSX — both STREAMED: the answer is a ReadableStream that reads one
// keyset page per pull (./datasets.ts), so a 100,000-row event never sits in memory.
//
// Authorization: `analytics.view` on the event's organization (authorizeEvent), before any stream
// exists: a caller who may not see the event gets NOT_FOUND (another tenant, a participant, a deleted
// or malformed id) or FORBIDDEN (a member without the permission) and no file. Each export writes an
// audit row (`registrations.exported` on the event, with the format and datasets): the files are
// personal data. Bad input (an unknown dataset) is VALIDATION and reads nothing.
import "server-only";
import { writeAudit } from "@/lib/audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { CSV_BOM, csvLine } from "@/lib/http/csv";
import { translatorFor } from "@/lib/i18n/catalogue";
import type { Locale } from "@/lib/i18n/config";
import { authorizeEvent, requireActor, type Actor } from "@/lib/permissions";
import { EXPORT_DATASETS, type ExportDataset } from "../paths";
import { openDataset, type DatasetSource, type ExportEvent, type ExportValue } from "./datasets";
import { xlsxStream } from "./xlsx";

export type ExportFile = { filename: string; contentType: string; stream: ReadableStream<Uint8Array> };

export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";
export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The XLSX sheet title key of each dataset (analyticsExports.sheets). */
const SHEET_KEY: Record<ExportDataset, string> = {
  registrations: "registrations",
  payments: "payments",
  "check-ins": "checkIns",
  waitlist: "waitlist",
};

export function isExportDataset(value: unknown): value is ExportDataset {
  return typeof value === "string" && (EXPORT_DATASETS as readonly string[]).includes(value);
}

type Options = { actor: Actor | null | undefined; eventId: string; locale?: Locale; pageSize?: number };

/** Authorizes `analytics.view` and loads what the files need (slug for the name, time zone). */
async function loadExportEvent(options: Options): Promise<{ actor: Actor; event: ExportEvent }> {
  const actor = requireActor(options.actor);
  const access = await authorizeEvent({ actor, eventId: options.eventId, permission: "analytics.view" });
  const event = await db.event.findFirst({
    where: { id: access.event.id, organizationId: access.event.organizationId, deletedAt: null },
    select: { id: true, organizationId: true, slug: true, timezone: true },
  });
  if (!event) throw new AppError("NOT_FOUND", "errors.notFound");
  return { actor, event };
}

async function audit(actor: Actor, event: ExportEvent, format: "csv" | "xlsx", datasets: readonly ExportDataset[]): Promise<void> {
  await writeAudit(db, {
    organizationId: event.organizationId,
    actorId: actor.userId,
    entityType: "event",
    entityId: event.id,
    action: "registrations.exported",
    changes: { via: "analytics", format, datasets },
  });
}

/** A file name safe in a Content-Disposition header (slugs are [a-z0-9-] already; this is the belt). */
function fileName(slug: string, part: string, ext: string): string {
  return `${slug.replace(/[^A-Za-z0-9._-]/g, "-")}-${part}.${ext}`;
}

/**
 * Reads one page ahead: the next page's statement runs while this one is formatted (and, for the XLSX,
 * compressed) — the export otherwise waited on PostgreSQL about a third of its time. At most two pages
 * are in memory. Stopping early (a cancelled download) still closes the source after the page in flight.
 */
export async function* readAhead<T>(pages: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = pages.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = pages.next();
      next.catch(() => {}); // awaited on the next turn; a consumer that stops first must not leave it unhandled
      yield current.value;
    }
  } finally {
    await pages.return(undefined);
  }
}

/** CSV bytes of one dataset: BOM + header, then one chunk per keyset page, pulled by the consumer. */
export function csvStream(source: Pick<DatasetSource, "header" | "pages">): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let pages: AsyncGenerator<ExportValue[][]> | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(CSV_BOM + csvLine(source.header)));
    },
    async pull(controller) {
      pages ??= readAhead(source.pages());
      const next = await pages.next();
      if (next.done) return controller.close();
      let text = "";
      for (const row of next.value) text += csvLine(row);
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await pages?.return(undefined);
    },
  });
}

/**
 * One dataset of the event as CSV (UTF-8 + BOM, RFC 4180, the formula guard of lib/http/csv.ts),
 * headers in `locale`, times in the event's zone. Throws before any byte when the caller may not
 * see the event or the dataset is unknown.
 */
export async function exportEventCsv(options: Options & { dataset: string }): Promise<ExportFile> {
  if (!isExportDataset(options.dataset)) throw new AppError("VALIDATION", "errors.validation", { dataset: "errors.notFound" });
  const dataset = options.dataset;
  const { actor, event } = await loadExportEvent(options);
  const source = await openDataset(dataset, { actor, event, locale: options.locale ?? "ru", pageSize: options.pageSize });
  await audit(actor, event, "csv", [dataset]);
  return { filename: fileName(event.slug, dataset, "csv"), contentType: CSV_CONTENT_TYPE, stream: csvStream(source) };
}

/**
 * The event's workbook: one sheet per dataset (registrations, payments and refunds, check-ins,
 * waitlist), the same columns as the CSVs, written by the streaming writer of ./xlsx.ts.
 */
export async function exportEventXlsx(options: Options): Promise<ExportFile> {
  const { actor, event } = await loadExportEvent(options);
  const locale = options.locale ?? "ru";
  const t = translatorFor(locale);
  const sources = await Promise.all(EXPORT_DATASETS.map((dataset) => openDataset(dataset, { actor, event, locale, pageSize: options.pageSize })));
  await audit(actor, event, "xlsx", EXPORT_DATASETS);
  const stream = xlsxStream(sources.map((s) => ({ name: t.dynamic(`analyticsExports.sheets.${SHEET_KEY[s.dataset]}`), header: s.header, pages: () => readAhead(s.pages()) })));
  return { filename: fileName(event.slug, "event", "xlsx"), contentType: XLSX_CONTENT_TYPE, stream };
}
