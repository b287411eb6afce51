// GET /api/v1/events/:eventId/promo-codes · POST (create one) — lib/api/v1/promo-codes.ts.
import { apiHandler } from "@/lib/http/api-route";
import { createPromoCodeOperation, listPromoCodesOperation } from "@/lib/api/v1/promo-codes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiHandler(listPromoCodesOperation);
export const POST = apiHandler(createPromoCodeOperation);
