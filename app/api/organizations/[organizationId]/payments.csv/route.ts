// GET /api/organizations/:organizationId/payments.csv?status= — the organizer's CSV of every payment and
// refund of the organization (lib/payments/report.ts → exportPaymentsCsv): UTF-8 with a BOM,
// formula-injection safe, bounded. Caller: the session cookie; `payments.view` on the organization
// (another tenant's is 404). Rate limit `payments.csv` per user. Column headers follow the UI language.
import { z } from "zod";
import { route } from "@/lib/http/route";
import { exportPaymentsCsv } from "@/lib/payments/report";
import { actorOf } from "@/lib/permissions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(
  {
    session: "required",
    limit: "payments.csv",
    params: z.object({ organizationId: z.string() }),
    query: z.object({ status: z.string().max(40).optional() }),
  },
  async (ctx) => {
    const { csv, filename } = await exportPaymentsCsv({
      actor: actorOf(ctx.user),
      organizationId: ctx.params.organizationId,
      status: ctx.query.status,
      locale: ctx.locale,
    });
    return new Response(csv, {
      status: 200,
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
);
