// GET /api/v1/organization — the token's organization (lib/api/v1/organization.ts; docs/api.md).
import { apiHandler } from "@/lib/http/api-route";
import { getOrganization } from "@/lib/api/v1/organization";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiHandler(getOrganization);
