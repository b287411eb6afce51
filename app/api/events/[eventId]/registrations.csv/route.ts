// GET /api/events/:eventId/registrations.csv?q=&status=&ticketType= — the organizer's CSV export of
// an event's registrations (lib/registrations/admin.ts → exportRegistrationsCsv): the same filters as
// the registrations view, UTF-8 with a BOM, `Content-Disposition: attachment; filename=
// "<event-slug>-registrations.csv"`. Caller: the Auth.js session cookie; `registrations.view` on the
// event's organization (another tenant's event is 404). Rate limit `registrations.csv` per user
// (lib/http/limits.ts), counted with the session. Column headers follow the UI language.
import { eventParams, route } from "@/lib/http/route";
import { actorOf } from "@/lib/permissions";
import { exportRegistrationsCsv, parseRegistrationSearchParams } from "@/lib/registrations/admin";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ session: "required", limit: "registrations.csv", params: eventParams }, async (ctx) => {
  const { page: _page, ...filters } = parseRegistrationSearchParams(new URL(ctx.request.url).searchParams);
  const { csv, filename } = await exportRegistrationsCsv({ actor: actorOf(ctx.user), eventId: ctx.params.eventId, ...filters, locale: ctx.locale });
  return new Response(csv, {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
