// GET /api/events/:eventId/registrations.csv?q=&status=&ticketType= — the organizer's CSV export of
// an event's registrations (lib/registrations/admin.ts → exportRegistrationsCsv): the same filters as
// the registrations view, UTF-8 with a BOM, `Content-Disposition: attachment; filename=
// "<event-slug>-registrations.csv"`. Caller: the Auth.js session cookie; `registrations.view` on the
// event's organization (another tenant's event is 404). Rate limit: 30 exports a minute per user.
// Column headers follow the UI language (the `locale` cookie, else Accept-Language).
import { errorResponse, localeOf, sessionUserOf } from "@/app/api/v1/_lib/http";
import { AppError } from "@/lib/errors";
import { LOCALE_COOKIE, isLocale, type Locale } from "@/lib/i18n/config";
import { actorOf } from "@/lib/permissions";
import { consume } from "@/lib/rate-limit";
import { exportRegistrationsCsv, parseRegistrationSearchParams } from "@/lib/registrations/admin";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const CSV_EXPORT_RATE_LIMIT = { limit: 30, windowSeconds: 60 } as const;

function requestLocale(request: Request): Locale {
  const cookie = request.headers
    .get("cookie")
    ?.split(";")
    .map((part) => part.trim().split("="))
    .find(([name]) => name === LOCALE_COOKIE)?.[1];
  return isLocale(cookie) ? cookie : localeOf(request);
}

export async function GET(request: Request, context: { params: Promise<{ eventId: string }> }): Promise<Response> {
  try {
    const { eventId } = await context.params;
    const user = await sessionUserOf(request);
    if (!user) throw new AppError("UNAUTHENTICATED", "errors.unauthenticated");
    const limit = await consume(`registrations.csv:user:${user.id}`, CSV_EXPORT_RATE_LIMIT.limit, CSV_EXPORT_RATE_LIMIT.windowSeconds);
    if (!limit.allowed) return errorResponse(request, new AppError("RATE_LIMITED", "errors.rateLimited"), { "retry-after": String(limit.retryAfterSeconds) });

    const { page: _page, ...filters } = parseRegistrationSearchParams(new URL(request.url).searchParams);
    const { csv, filename } = await exportRegistrationsCsv({ actor: actorOf(user), eventId, ...filters, locale: requestLocale(request) });
    return new Response(csv, {
      status: 200,
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    return errorResponse(request, error);
  }
}
