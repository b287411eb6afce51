// Inngest's endpoint: it discovers and invokes the app's functions here. Without Inngest configured
// the same functions run in-process (embedded runner) and this route answers 404 with a hint.
import type { NextRequest } from "next/server";
import { serve } from "inngest/next";
import { getInngest, isInngestConfigured } from "@/lib/jobs/client";
import { inngestFunctions } from "@/lib/worker";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Handler = ReturnType<typeof serve>;
let handler: Handler | undefined;

function inngestHandler(): Handler {
  handler ??= serve({ client: getInngest(), functions: inngestFunctions() });
  return handler;
}

function notConfigured(): Response {
  return Response.json(
    {
      error: "inngest_not_configured",
      message:
        "Inngest is not configured (set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY, or INNGEST_DEV=1 and INNGEST_BASE_URL). Background jobs run in-process instead.",
    },
    { status: 404 },
  );
}

export async function GET(request: NextRequest, context: unknown): Promise<Response> {
  return isInngestConfigured() ? inngestHandler().GET(request, context) : notConfigured();
}

export async function POST(request: NextRequest, context: unknown): Promise<Response> {
  return isInngestConfigured() ? inngestHandler().POST(request, context) : notConfigured();
}

export async function PUT(request: NextRequest, context: unknown): Promise<Response> {
  return isInngestConfigured() ? inngestHandler().PUT(request, context) : notConfigured();
}
