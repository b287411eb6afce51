// POST /api/v1/registrations/:registrationId/cancel — the organizer cancels (lib/api/v1/registrations.ts).
import { apiHandler } from "@/lib/http/api-route";
import { cancelRegistration } from "@/lib/api/v1/registrations";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiHandler(cancelRegistration);
