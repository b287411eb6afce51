// The embedded layer (npm test -- embedded, scripts/test-embedded.mjs): the journeys of tests/embedded
// against the app as `npm start` runs it with nothing configured (the embedded PostgreSQL and the demo
// data). The server is started by scripts/test-embedded.mjs, which hands its URL and database over in
// E2E_EMBEDDED_STATE_FILE. One phone project, one worker: the journeys build on each other.
import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const stateFile = process.env.E2E_EMBEDDED_STATE_FILE;
if (!stateFile || !fs.existsSync(stateFile)) {
  throw new Error("run the embedded layer with `npm test -- embedded` (scripts/test-embedded.mjs starts the server it tests)");
}
const { baseUrl } = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { baseUrl: string };

export default defineConfig({
  testDir: "tests/embedded",
  outputDir: "test-results/embedded",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  use: {
    baseURL: baseUrl,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    actionTimeout: 20_000,
    navigationTimeout: 45_000,
  },
  projects: [
    {
      name: "embedded-phone",
      use: {
        ...devices["Pixel 7"],
        viewport: { width: 412, height: 915 },
        isMobile: true,
        hasTouch: true,
        browserName: "chromium",
        launchOptions: {
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
        },
      },
    },
  ],
});
