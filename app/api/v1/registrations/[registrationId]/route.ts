// GET /api/v1/registrations/:registrationId — one registration (lib/api/v1/registrations.ts).
import { apiHandler } from "@/lib/http/api-route";
import { getRegistration } from "@/lib/api/v1/registrations";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiHandler(getRegistration);
