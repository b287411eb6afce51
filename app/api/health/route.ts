// GET /api/health — readiness of this process: its role and pid, whether it reaches the database, and
// (under npm start's supervisor) every process of the cluster. 200 when healthy, 503 when the database
// is unreachable. Load balancers and the compose file probe it (docs/deployment.md).
import { healthReport } from "@/lib/cluster";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await healthReport();
  return Response.json(report, { status: report.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
