// REST API v1: check-ins (docs/api.md, docs/check-in.md). Scope `checkin` (the permission checkin.scan
// on the event's organization; another organization's event is 404).
//
//   GET  /events/{eventId}/check-ins   list (updatedSince; cursor)
//   POST /events/{eventId}/check-ins   check in by confirmation code or by the QR payload
//
// A check-in is the door's own service (lib/check-in: one statement, compare-and-set CONFIRMED →
// CHECKED_IN, one check-in per ticket by a unique index). Its answers map to HTTP: valid → 201;
// already checked in → 409 ALREADY_CHECKED_IN with the first check-in's time (`details`); a ticket
// that is not CONFIRMED → 409 CHECK_IN_REFUSED with the reason; unknown code / registration, or a QR
// of another event → 404; a QR that is not AqStream's or whose signature fails → 400 on `qrPayload`.
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { cursorFingerprint, decodeCursor, encodeCursor, listResponse, objectResponse, pageLimit, pageCursor, updatedSince } from "@/lib/api/pagination";
import { checkIn, checkInByCode, listCheckIns } from "@/lib/check-in";
import { AppError } from "@/lib/errors";
import type { ScanResponse } from "@/lib/validation/check-in";
import { apiCheckIn, apiCheckInResult, createCheckInBody, fromKey, idParam, keyPosition, toApiCheckIn, toKey } from "./schemas-b";

const eventParams = z.object({ eventId: idParam("The event's id.") });

export const listEventCheckIns = defineOperation({
  id: "listEventCheckIns",
  method: "GET",
  path: "/events/{eventId}/check-ins",
  tag: "Check-ins",
  scope: "checkin",
  summary: "List an event's check-ins",
  description:
    "By check-in time, in cursor pages. With `updatedSince`: only check-ins recorded since that time, in the order they were recorded (for sync).",
  params: eventParams,
  query: z.object({ limit: pageLimit, cursor: pageCursor.optional(), updatedSince: updatedSince.optional() }),
  response: listResponse(apiCheckIn),
  handler: async ({ actor, params, query }) => {
    const since = query.updatedSince ?? null;
    const fingerprint = cursorFingerprint("listEventCheckIns", params.eventId, { updatedSince: since });
    const after = query.cursor ? toKey(decodeCursor(query.cursor, fingerprint, keyPosition)) : null;
    const page = await listCheckIns({ actor, eventId: params.eventId, since, after, limit: query.limit });
    return { ok: true as const, data: page.items.map(toApiCheckIn), nextCursor: page.next ? encodeCursor(fingerprint, fromKey(page.next)) : null };
  },
});

/** The scan nonce of a request: derived from the token and its Idempotency-Key (a retry is the same scan), else fresh. */
function nonceOf(tokenId: string, key: string | null): string {
  if (!key) return `api_${randomUUID()}`;
  return `api_${createHash("sha256").update(`${tokenId}\n${key}`).digest("base64url").slice(0, 40)}`;
}

/** The door service's answer → the API's (201) or its error. */
export function checkInAnswer(response: ScanResponse) {
  if (response.result === "valid") {
    const a = response.attendee;
    return {
      ok: true as const,
      data: {
        registrationId: a.registrationId,
        confirmationCode: a.code,
        firstName: a.firstName,
        lastName: a.lastName,
        ticketTypeId: a.ticketTypeId,
        ticketTypeName: a.ticketTypeName,
        status: "CHECKED_IN" as const,
        checkedInAt: response.checkedInAt,
        due: a.due ?? null,
      },
    };
  }
  if (response.result === "already_checked_in") {
    throw new AppError("CONFLICT", "apiV1.errors.alreadyCheckedIn", undefined, {
      apiCode: "ALREADY_CHECKED_IN",
      details: {
        registrationId: response.attendee.registrationId,
        checkedInAt: response.checkedInAt,
        checkedInByName: response.checkedInByName,
      },
    });
  }
  switch (response.reason) {
    case "malformed":
    case "bad_signature":
      throw new AppError("VALIDATION", "errors.validation", { qrPayload: "apiV1.errors.qrInvalid" });
    case "other_event":
    case "not_found":
      throw new AppError("NOT_FOUND", "apiV1.errors.ticketNotFound");
    default:
      throw new AppError("CONFLICT", `apiV1.errors.refusal.${response.reason}`, undefined, {
        apiCode: "CHECK_IN_REFUSED",
        details: { reason: response.reason, registrationId: response.attendee?.registrationId ?? null },
      });
  }
}

export const createEventCheckIn = defineOperation({
  id: "createEventCheckIn",
  method: "POST",
  path: "/events/{eventId}/check-ins",
  tag: "Check-ins",
  scope: "checkin",
  summary: "Check an attendee in",
  description:
    "By the confirmation code (`code`) or by the text of the ticket's QR code (`qrPayload`, verified by its signature). Only a CONFIRMED (paid) ticket is checked in. Already checked in → 409 `ALREADY_CHECKED_IN` with `details.checkedInAt` (the first check-in's time); cancelled, expired or unpaid → 409 `CHECK_IN_REFUSED` (`details.reason`); unknown, or a ticket of another event → 404; a QR text that is not a valid AqStream ticket → 400.",
  params: eventParams,
  body: createCheckInBody,
  response: objectResponse(apiCheckInResult),
  status: 201,
  handler: async ({ actor, params, body, principal, idempotencyKey }) => {
    const hasCode = body.code !== undefined;
    const hasQr = body.qrPayload !== undefined;
    if (hasCode === hasQr) throw new AppError("VALIDATION", "errors.validation", { [hasCode ? "qrPayload" : "code"]: "apiV1.errors.checkInTarget" });
    const nonce = nonceOf(principal.tokenId, idempotencyKey);
    const response = hasCode
      ? await checkInByCode({ actor, eventId: params.eventId, code: body.code!, nonce })
      : await checkIn({ actor, eventId: params.eventId, scan: { nonce, method: "QR_SCAN", payload: body.qrPayload } });
    return checkInAnswer(response);
  },
});
