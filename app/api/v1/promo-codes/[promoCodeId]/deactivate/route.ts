// POST /api/v1/promo-codes/:promoCodeId/deactivate — lib/api/v1/promo-codes.ts.
import { apiHandler } from "@/lib/http/api-route";
import { deactivatePromoCodeOperation } from "@/lib/api/v1/promo-codes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiHandler(deactivatePromoCodeOperation);
