// The ticket picture sent to Telegram (/tickets, ticket_<code>, the registration.confirmed photo):
// a 600×820 PNG card with the event title and date, a 480 px QR code of the signed ticket payload
// (lib/tickets/ticket-token.ts, error correction M) and the confirmation code printed below it, so
// the door staff can also type the code by hand.
import "server-only";
import QRCode from "qrcode";
import sharp from "sharp";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { formatEventDate } from "@/lib/i18n/format/date";
import { clip, localeFromLanguageCode, type BotLocale } from "@/lib/telegram/texts";
import { signTicket } from "./ticket-token";

export const TICKET_IMAGE_WIDTH = 600;
export const TICKET_QR_SIZE = 480;

function xml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** Splits a title into at most `lines` lines of about `width` characters ("…" when cut). */
function wrap(text: string, width: number, lines: number): string[] {
  const all: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= width) {
      line = next;
    } else {
      if (line) all.push(line);
      line = clip(word, width);
    }
  }
  if (line) all.push(line);
  if (all.length <= lines) return all;
  const kept = all.slice(0, lines);
  kept[lines - 1] = `${clip(kept[lines - 1], width - 1).replace(/…$/, "")}…`;
  return kept;
}

const QR_MARGIN = 2;

/**
 * The QR code of a payload as SVG, `target` px square at most (error correction M, a 2-module quiet zone),
 * at a whole number of pixels per module so the modules stay crisp and equal; `drawn` is its side and
 * `offset` centres it in the target square. Rasterized by sharp (libvips): `qrcode`'s own PNG output ran
 * pngjs in JavaScript (five row filters tried on every row) and was most of the worker's CPU during a
 * rush — every registration's ticket carries a QR (bench:api, docs/api.md).
 */
async function qrSvg(payload: string, target: number, at: { x: number; y: number } = { x: 0, y: 0 }): Promise<{ svg: string; drawn: number; offset: number }> {
  const svg = await QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: QR_MARGIN });
  const modules = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  if (!Number.isInteger(modules) || modules <= 0) throw new Error("qrcode: unexpected SVG");
  const drawn = modules * Math.max(1, Math.floor(target / modules));
  const offset = Math.max(0, Math.floor((target - drawn) / 2));
  return { svg: svg.replace("<svg ", `<svg x="${at.x + offset}" y="${at.y + offset}" width="${drawn}" height="${drawn}" `), drawn, offset };
}

/** QR code PNG of any payload (`size` px square, at least 300). */
export async function renderQrPng(payload: string, size = TICKET_QR_SIZE): Promise<Buffer> {
  const target = Math.max(300, size);
  const { svg, drawn, offset } = await qrSvg(payload, target);
  const rest = target - drawn - offset;
  return sharp(Buffer.from(svg))
    .flatten({ background: "#ffffff" })
    .extend({ top: offset, bottom: rest, left: offset, right: rest, background: "#ffffff" })
    .png()
    .toBuffer();
}

/** The ticket card of a registration (any status; the caller decides who may see it). */
export async function renderTicketPng(registrationId: string, { locale = "ru" }: { locale?: BotLocale } = {}): Promise<Buffer> {
  const registration = await db.registration.findUnique({
    where: { id: registrationId },
    select: {
      id: true,
      eventId: true,
      confirmationCode: true,
      firstName: true,
      lastName: true,
      event: { select: { title: true, startsAt: true, timezone: true } },
      ticketType: { select: { name: true } },
    },
  });
  if (!registration) throw new AppError("NOT_FOUND", "errors.notFound");

  const payload = signTicket({ eventId: registration.eventId, registrationId: registration.id, code: registration.confirmationCode });

  const titleLines = wrap(registration.event.title, 28, 2);
  const date = formatEventDate(registration.event.startsAt, registration.event.timezone, locale);
  const holder = [registration.firstName, registration.lastName].filter(Boolean).join(" ");
  const titleHeight = 40 + titleLines.length * 38;
  const qrTop = titleHeight + 56;
  const height = qrTop + TICKET_QR_SIZE + 130;
  const qr = await qrSvg(payload, TICKET_QR_SIZE, { x: Math.round((TICKET_IMAGE_WIDTH - TICKET_QR_SIZE) / 2), y: qrTop });
  const font = "DejaVu Sans, Liberation Sans, Arial, sans-serif";
  const mono = "DejaVu Sans Mono, Liberation Mono, Courier New, monospace";

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${TICKET_IMAGE_WIDTH}" height="${height}">
  <rect x="0" y="0" width="${TICKET_IMAGE_WIDTH}" height="${height}" fill="#ffffff"/>
  <rect x="0" y="0" width="${TICKET_IMAGE_WIDTH}" height="10" fill="#2563eb"/>
  ${titleLines
    .map((line, i) => `<text x="300" y="${60 + i * 38}" font-family="${font}" font-size="28" font-weight="bold" fill="#111827" text-anchor="middle">${xml(line)}</text>`)
    .join("\n  ")}
  ${qr.svg}
  <text x="300" y="${titleHeight + 22}" font-family="${font}" font-size="20" fill="#374151" text-anchor="middle">${xml(clip(date, 48))}</text>
  <text x="300" y="${qrTop + TICKET_QR_SIZE + 52}" font-family="${mono}" font-size="44" font-weight="bold" letter-spacing="6" fill="#111827" text-anchor="middle">${xml(registration.confirmationCode)}</text>
  <text x="300" y="${qrTop + TICKET_QR_SIZE + 92}" font-family="${font}" font-size="20" fill="#6b7280" text-anchor="middle">${xml(clip([holder, registration.ticketType.name].filter(Boolean).join(" · "), 48))}</text>
</svg>`;

  // One rasterization: the QR is a nested <svg> of the card.
  return sharp(Buffer.from(svg)).png().toBuffer();
}

// The notifications' "ticket" photo (registration.confirmed): extra.photo = { kind: "ticket",
// registrationId, locale? }. lib/notifications/photo-resolvers.ts registers it (subscribers are data
// there, so this area never imports notifications).
export async function ticketPhoto(spec: Readonly<Record<string, unknown>>): Promise<{
  data: Buffer;
  filename: string;
  contentType: string;
}> {
  const registrationId = String(spec.registrationId ?? "");
  const locale = typeof spec.locale === "string" ? localeFromLanguageCode(spec.locale) : "ru";
  return { data: await renderTicketPng(registrationId, { locale }), filename: "ticket.png", contentType: "image/png" };
}
