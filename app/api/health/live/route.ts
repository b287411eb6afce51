// GET /api/health/live — the process answers (no database): a liveness probe, and the trivial route the
// benchmarks measure next to the real ones (the framework's own ceiling on the same server).
import { liveness } from "@/lib/cluster";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(liveness(), { headers: { "cache-control": "no-store" } });
}
