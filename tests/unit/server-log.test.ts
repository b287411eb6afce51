// The embedded layer fails on any error in the server's output (scripts/lib/server-log.mjs): the lines
// of the PGlite failure of issue 11 are caught, a normal start and shutdown are not.
import { describe, expect, test } from "vitest";
import { errorLines } from "../../scripts/lib/server-log.mjs";

describe("errorLines", () => {
  test("catches uncaught exceptions, request failures and logged errors", () => {
    const lines = [
      ' ⨯ uncaughtException: Error: Received unexpected commandComplete message from backend.',
      'Error: prepared statement "aq_sale_context" already exists',
      "error: prepared statement \"aq_api_session\" already exists",
      "[api] guest ticket mail failed",
      "TypeError: Cannot read properties of undefined (reading 'id')",
      "[db] idle connection error: Connection terminated unexpectedly",
      "unhandledRejection: something",
      "[embedded-db] PostgreSQL exited unexpectedly (SIGKILL); FATAL: the database system is in recovery mode",
    ];
    expect(errorLines(lines.join("\n"))).toEqual(lines);
  });

  test("a normal start and shutdown print none", () => {
    const normal = [
      "[aqstream] starting the embedded PostgreSQL (.data/postgres, 127.0.0.1:54329)…",
      "[aqstream] embedded PostgreSQL ready on 127.0.0.1:54329 in 0.4 s",
      "[aqstream] seeding demo data (quick when it is already there)…",
      "Demo data already present (312 ms).",
      "▲ Next.js 16.4.6",
      "✓ Ready in 766ms",
      "[jobs] embedded runner started (set INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY to use Inngest)",
      "[notifications] TELEGRAM_BOT_TOKEN is not set: notifications stay PENDING until it is",
      "├ ƒ /[locale]/error-report",
      "[aqstream] stopping the embedded PostgreSQL…",
    ].join("\n");
    expect(errorLines(normal)).toEqual([]);
  });
});
