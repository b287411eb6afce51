// POST /api/v1/registrations/:registrationId/mark-paid — record an offline payment (lib/api/v1/registrations.ts).
import { apiHandler } from "@/lib/http/api-route";
import { markRegistrationPaid } from "@/lib/api/v1/registrations";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiHandler(markRegistrationPaid);
