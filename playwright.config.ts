// End-to-end tests: Debian Chromium (never `npx playwright install`), a desktop and a phone project,
// against a production build served by scripts/e2e-server.mjs on a fresh database.
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;

// The server writes its database URL here; tests read it to check rows directly (tests/e2e/support.ts).
process.env.E2E_STATE_FILE ??= path.join(os.tmpdir(), `aqstream-e2e-${PORT}.json`);

// Device presets drop launch options, so every project sets them itself.
const launchOptions = {
  executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
};

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    screenshot: "on",
    // Recording a trace costs CPU in every test (DOM snapshots per action) and the layer is CPU-bound on two
    // cores: a failed test is retried once on CI, and that retry is traced.
    trace: "on-first-retry",
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
  // A journey that only makes sense on one form factor carries @phone-only / @desktop-only in its
  // title and runs in that project alone (instead of showing up as skipped in the other). So does a
  // journey whose subject is not the layout (headers, mail and Telegram flows, server-side refusals):
  // participants' and door journeys run on the phone, organizers' and admins' on the desktop; the
  // journeys that check a layout (forms, tables, the account page, the event page) run in both.
  // Running those once keeps the whole suite within its 20-minute budget on two cores.
  projects: [
    {
      name: "desktop",
      grepInvert: /@phone-only/,
      use: { ...devices["Desktop Chrome"], launchOptions },
    },
    {
      name: "phone",
      grepInvert: /@desktop-only/,
      use: {
        ...devices["Pixel 7"],
        viewport: { width: 412, height: 915 },
        isMobile: true,
        hasTouch: true,
        browserName: "chromium",
        launchOptions,
      },
    },
  ],
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `${baseURL}/login`,
    reuseExistingServer: false,
    // Includes a `next build` when the sources changed (a few minutes on 2 cores).
    timeout: Number(process.env.E2E_SERVER_TIMEOUT_MS ?? 5 * 60_000),
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: "pipe",
    stderr: "pipe",
    env: { E2E_PORT: String(PORT), E2E_STATE_FILE: process.env.E2E_STATE_FILE },
  },
});
