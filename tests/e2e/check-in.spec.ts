// The door scanner on a phone (issue #7): Chromium's fake camera plays a video of a ticket's QR code
// (a Y4M made here from the qrcode package + sharp), the scanner shows green, then yellow for the same
// ticket again; a manual check-in through search; a second phone goes offline, scans another ticket
// (queued), checks in a ticket that the first phone checks in too, comes back online and syncs — the
// check-in lands in the database and the double check-in shows in the conflicts list; the counters
// are right on the other phone.
//
// The owner, event and tickets go straight into the database; the QR payloads are signed with the
// e2e server's key (lib/tickets/ticket-token.ts derives it from AUTH_SECRET with HKDF; that module is
// server-only, so the same derivation is repeated here).
import { createHash, createPrivateKey, hkdfSync, randomBytes, randomUUID, sign } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type BrowserContext, type BrowserType, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";
import QRCode from "qrcode";
import sharp from "sharp";
import { SLOW, databaseUrl, expectNoHorizontalScroll, query, ru, uniqueEmail, tRu } from "./support";

test.describe.configure({ timeout: 300_000 });

/** scripts/e2e-server.mjs: the fixed test AUTH_SECRET (no TICKET_SIGNING_KEY there). */
const E2E_AUTH_SECRET = "aqstream-e2e-test-secret-0123456789abcdef";
/** bcrypt (cost 4) of OWNER_PASSWORD, as in tests/helpers/factories.ts. */
const OWNER_PASSWORD = "test12345";
const OWNER_PASSWORD_HASH = "$2b$04$iN.CDpRUbdneIcrtbC07t.JEo1Hs1.53u1crCYZk5sDnRPnslKpzq";
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const S = ru.checkIn.scanner;

// ───────────────────────────── tickets ─────────────────────────────

function signTicket(claims: { eventId: string; registrationId: string; code: string }): string {
  const seed = process.env.TICKET_SIGNING_KEY
    ? Buffer.from(process.env.TICKET_SIGNING_KEY, "base64")
    : Buffer.from(hkdfSync("sha256", E2E_AUTH_SECRET, "aqstream", "ticket-signing-key/ed25519/v1", 32));
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]), format: "der", type: "pkcs8" });
  const hex = (uuid: string) => Buffer.from(uuid.replace(/-/g, ""), "hex");
  const body = Buffer.concat([hex(claims.eventId), hex(claims.registrationId), Buffer.from(claims.code, "ascii")]);
  const signed = `AQ1.${body.toString("base64url")}`;
  return `${signed}.${sign(null, Buffer.from(signed, "ascii"), key).toString("base64url")}`;
}

const randomCode = () => Array.from({ length: 8 }, () => CODE_ALPHABET[Math.floor(Math.random() * CODE_ALPHABET.length)]).join("");

type Attendee = { id: string; code: string; firstName: string; lastName: string; type: "standard" | "vip" };

/** An owner with an organization, a published event today, two ticket types and four CONFIRMED tickets. */
async function seedEvent() {
  const ids = { owner: randomUUID(), org: randomUUID(), event: randomUUID(), standard: randomUUID(), vip: randomUUID() };
  const owner = { email: uniqueEmail("door-owner"), firstName: "Ольга", lastName: "Входная" };
  const suffix = randomUUID().slice(0, 6);
  const attendees: Attendee[] = [
    { id: randomUUID(), code: randomCode(), firstName: "Анна", lastName: `Сканова-${suffix}`, type: "standard" },
    { id: randomUUID(), code: randomCode(), firstName: "Борис", lastName: `Офлайнов-${suffix}`, type: "standard" },
    { id: randomUUID(), code: randomCode(), firstName: "Вера", lastName: `Ручная-${suffix}`, type: "vip" },
    { id: randomUUID(), code: randomCode(), firstName: "Глеб", lastName: `Дважды-${suffix}`, type: "vip" },
  ];
  const slug = `e2e-door-${suffix}`;
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("INSERT INTO users (id, email, password_hash, first_name, last_name, email_verified) VALUES ($1, $2, $3, $4, $5, true)", [
      ids.owner,
      owner.email,
      OWNER_PASSWORD_HASH,
      owner.firstName,
      owner.lastName,
    ]);
    await client.query("INSERT INTO organizations (id, owner_id, name, slug) VALUES ($1, $2, $3, $4)", [ids.org, ids.owner, `Клуб ${slug}`, slug]);
    await client.query("INSERT INTO organization_members (id, organization_id, user_id, role) VALUES ($1, $2, $3, 'OWNER')", [randomUUID(), ids.org, ids.owner]);
    await client.query(
      `INSERT INTO events (id, tenant_id, organizer_id, title, status, starts_at, ends_at, slug, location_address, published_at)
       VALUES ($1, $2, $3, $4, 'PUBLISHED', now() - interval '1 hour', now() + interval '3 hours', $5, 'Москва, ул. Входная, 1', now())`,
      [ids.event, ids.org, ids.owner, `Вечер у двери ${suffix}`, slug],
    );
    await client.query(`INSERT INTO ticket_types (id, event_id, name, quantity, sold_count, sort_order) VALUES ($1, $2, 'Стандарт', 100, 2, 0), ($3, $2, 'VIP', 10, 2, 1)`, [
      ids.standard,
      ids.event,
      ids.vip,
    ]);
    for (const a of attendees) {
      await client.query(
        `INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, status, confirmation_code, first_name, last_name, email, confirmed_at)
         VALUES ($1, $2, $3, $4, 'CONFIRMED', $5, $6, $7, $8, now())`,
        [a.id, ids.org, ids.event, a.type === "vip" ? ids.vip : ids.standard, a.code, a.firstName, a.lastName, uniqueEmail("guest")],
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    await client.end();
  }
  return { ids, owner, attendees, scannerPath: `/check-in/${ids.event}` };
}

// ───────────────────────────── the fake camera ─────────────────────────────

/**
 * A Y4M video (what Chromium's --use-file-for-fake-video-capture plays, looping) showing one QR code:
 * 640×480, 4:2:0, grey (U = V = 128), a few identical frames at 10 fps.
 */
async function qrVideo(payload: string, file: string): Promise<string> {
  const width = 640;
  const height = 480;
  // Whole pixels per module (7 px: a version-8 code with its quiet zone is 399 px).
  const qr = await QRCode.toBuffer(payload, { errorCorrectionLevel: "M", margin: 4, scale: 7 });
  const { width: side = 0 } = await sharp(qr).metadata();
  expect(side).toBeLessThanOrEqual(height);
  const luma = await sharp({ create: { width, height, channels: 3, background: "#ffffff" } })
    .composite([{ input: qr, left: Math.floor((width - side) / 2), top: Math.floor((height - side) / 2) }])
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  expect(luma.info.channels).toBe(1);
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frames: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`, "ascii")];
  for (let i = 0; i < 5; i++) frames.push(Buffer.from("FRAME\n", "ascii"), luma.data, chroma, chroma);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat(frames));
  return file;
}

/** A browser whose camera shows `video` (the project's launch options plus the fake-camera switches). */
async function browserWithCamera(browserType: BrowserType, testInfo: TestInfo, video: string): Promise<Browser> {
  const launch = testInfo.project.use.launchOptions ?? {};
  return browserType.launch({
    ...launch,
    args: [...(launch.args ?? []), "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${video}`],
  });
}

/** A phone-sized context like the project's (device presets do not carry over to a manual launch). */
async function phoneContext(browser: Browser, testInfo: TestInfo, storageState?: Awaited<ReturnType<BrowserContext["storageState"]>>): Promise<BrowserContext> {
  const use = testInfo.project.use;
  return browser.newContext({
    baseURL: use.baseURL,
    viewport: use.viewport ?? { width: 412, height: 915 },
    userAgent: use.userAgent,
    deviceScaleFactor: use.deviceScaleFactor,
    isMobile: use.isMobile,
    hasTouch: use.hasTouch,
    permissions: ["camera"],
    storageState,
  });
}

// ───────────────────────────── helpers ─────────────────────────────

async function signIn(page: Page, email: string, target: string) {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(target)}`);
  await page.getByLabel(ru.auth.email, { exact: true }).fill(email);
  await page.getByLabel(ru.auth.password, { exact: true }).fill(OWNER_PASSWORD);
  await page.getByRole("button", { name: ru.auth.submitLogin, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${target.replace(/[/]/g, "\\/")}$`), { timeout: SLOW });
}

async function openScanner(page: Page, scannerPath: string, attendees: number) {
  if (!page.url().endsWith(scannerPath)) await page.goto(scannerPath);
  await expect(page.getByTestId("list-status")).toHaveAttribute("data-count", String(attendees), { timeout: SLOW });
}

async function shot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, timeout: 60_000 });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

/** Taps the result screen away and switches the camera off (the same QR stays in front of it). */
async function dismissAndStopCamera(page: Page) {
  const result = page.getByTestId("scan-result");
  // The camera keeps reading the same QR: a new result screen can cover the button again between the
  // tap that dismisses one and the tap on "stop" — dismiss and retry until the stop tap lands.
  await expect(async () => {
    if (await result.isVisible()) await result.click({ timeout: 2_000 });
    await page.getByRole("button", { name: S.camera.stop }).click({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("camera")).toHaveAttribute("data-status", "idle");
  if (await result.isVisible()) await result.click();
}

async function manualCheckIn(page: Page, search: string, name: string) {
  await page.getByTestId("manual-open").click();
  await page.getByLabel(S.search.label).fill(search);
  await page.getByTestId("search-result").filter({ hasText: name }).click();
  await expect(page.getByTestId("confirm-name")).toHaveText(name);
  await page.getByRole("button", { name: S.search.confirm }).click();
}

async function checkInRow(registrationId: string) {
  const rows = await query<{ check_in_method: string; checked_in_by: string | null; client_nonce: string | null; device_id: string | null; status: string }>(
    `SELECT c.check_in_method::text, c.checked_in_by, c.client_nonce, c.device_id, r.status::text
       FROM check_ins c JOIN registrations r ON r.id = c.registration_id WHERE c.registration_id = $1`,
    [registrationId],
  );
  return rows[0] ?? null;
}

// ───────────────────────────── the journey ─────────────────────────────

test("door scanner: camera scan, repeat, manual check-in, offline scans that sync, conflicts and counters on two phones @phone-only", async ({
  playwright,
}, testInfo) => {
  const browserType = playwright.chromium;
  const seeded = await seedEvent();
  const [anna, boris, vera, gleb] = seeded.attendees;
  const names = seeded.attendees.map((a) => `${a.firstName} ${a.lastName}`);
  const videoA = await qrVideo(signTicket({ eventId: seeded.ids.event, registrationId: anna.id, code: anna.code }), testInfo.outputPath("ticket-anna.y4m"));
  const videoB = await qrVideo(signTicket({ eventId: seeded.ids.event, registrationId: boris.id, code: boris.code }), testInfo.outputPath("ticket-boris.y4m"));

  // ── Phone 1: the camera sees Anna's ticket.
  const browser1 = await browserWithCamera(browserType, testInfo, videoA);
  const browser2 = await browserWithCamera(browserType, testInfo, videoB);
  try {
    const context1 = await phoneContext(browser1, testInfo);
    const page1 = await context1.newPage();
    await signIn(page1, seeded.owner.email, seeded.scannerPath);
    await openScanner(page1, seeded.scannerPath, 4);
    await expect(page1.getByTestId("connection-status")).toHaveAttribute("data-mode", "online");
    await expect(page1.getByTestId("counters-total")).toHaveAttribute("data-checked-in", "0");
    await expect(page1.getByTestId("counters-total")).toHaveAttribute("data-expected", "4");
    await expectNoHorizontalScroll(page1);
    await shot(page1, testInfo, "01-scanner-ready");

    await page1.getByRole("button", { name: S.camera.start }).click();
    const result1 = page1.getByTestId("scan-result");
    await expect(result1).toHaveAttribute("data-result", "valid", { timeout: 30_000 });
    await expect(page1.getByTestId("scan-result-name")).toHaveText(names[0]);
    await expect(result1).toContainText(S.result.valid);
    await expect(result1).toHaveAttribute("data-offline", "false");
    await shot(page1, testInfo, "02-valid");
    await expect.poll(() => checkInRow(anna.id)).toMatchObject({ check_in_method: "QR_SCAN", checked_in_by: seeded.ids.owner, status: "CHECKED_IN" });

    // The same ticket again (after the repeat-read debounce): yellow, with when and by whom.
    await expect(result1).toHaveAttribute("data-result", "already_checked_in", { timeout: 20_000 });
    await expect(page1.getByTestId("scan-result-when")).toContainText(`${seeded.owner.firstName} ${seeded.owner.lastName}`);
    await shot(page1, testInfo, "03-already-checked-in");
    expect(await query("SELECT id FROM check_ins WHERE registration_id = $1", [anna.id])).toHaveLength(1);
    await dismissAndStopCamera(page1);

    // Manual check-in: search by surname, confirm.
    await manualCheckIn(page1, vera.lastName, names[2]);
    await expect(result1).toHaveAttribute("data-result", "valid");
    await expect(page1.getByTestId("scan-result-name")).toHaveText(names[2]);
    await expect.poll(() => checkInRow(vera.id)).toMatchObject({ check_in_method: "MANUAL", checked_in_by: seeded.ids.owner });
    await result1.click();
    await expect(page1.getByTestId("counters-total")).toHaveAttribute("data-checked-in", "2");

    // ── Phone 2 (same moderator, another phone): opens online, then loses the network.
    const context2 = await phoneContext(browser2, testInfo, await context1.storageState());
    const page2 = await context2.newPage();
    await openScanner(page2, seeded.scannerPath, 4);
    await expect(page2.getByTestId("counters-total")).toHaveAttribute("data-checked-in", "2");
    // The service worker is in control before the network goes (so an offline reload still opens the scanner).
    await expect
      .poll(
        () =>
          page2.evaluate(async () => {
            if (!(await navigator.serviceWorker.ready).active) return false;
            const page = await caches.match(location.origin + location.pathname);
            const assets = performance
              .getEntriesByType("resource")
              .map((e) => e.name)
              .filter((u) => u.startsWith(`${location.origin}/_next/static/`));
            const cached = await Promise.all(assets.map((u) => caches.match(u)));
            return !!page && cached.every(Boolean);
          }),
        { timeout: SLOW, message: "the service worker has cached the scanner's shell" },
      )
      .toBe(true);

    await context2.setOffline(true);
    await expect(page2.getByTestId("connection-status")).toHaveAttribute("data-mode", "offline");

    await page2.getByRole("button", { name: S.camera.start }).click();
    const result2 = page2.getByTestId("scan-result");
    await expect(result2).toHaveAttribute("data-result", "valid", { timeout: 30_000 });
    await expect(result2).toHaveAttribute("data-offline", "true");
    await expect(page2.getByTestId("scan-result-name")).toHaveText(names[1]);
    await expect(page2.getByTestId("connection-status")).toHaveAttribute("data-queued", "1");
    await shot(page2, testInfo, "04-offline-valid");
    await dismissAndStopCamera(page2);
    await expect(page2.getByTestId("queued-count")).toHaveText(tRu("checkIn.scanner.status.queued", { count: 1 }));
    expect(await checkInRow(boris.id)).toBeNull();

    // Gleb: checked in on phone 1 (online) first, then on phone 2 while it is still offline.
    await manualCheckIn(page1, gleb.code, names[3]);
    await expect(result1).toHaveAttribute("data-result", "valid");
    await result1.click();
    await manualCheckIn(page2, gleb.lastName, names[3]);
    await expect(result2).toHaveAttribute("data-result", "valid");
    await expect(result2).toHaveAttribute("data-offline", "true");
    await result2.click();
    await expect(page2.getByTestId("connection-status")).toHaveAttribute("data-queued", "2");
    // Offline, phone 2 counts its own check-ins on top of the last known figures (2 + 2).
    await expect(page2.getByTestId("counters-total")).toHaveAttribute("data-checked-in", "4");

    // A reload without network: the service worker serves the scanner, the queue is still there.
    await page2.reload();
    await expect(page2.getByTestId("connection-status")).toHaveAttribute("data-queued", "2", { timeout: SLOW });
    await expect(page2.getByTestId("list-status")).toHaveAttribute("data-count", "4");
    await shot(page2, testInfo, "05-offline-reload");

    // Back online: the queue syncs; Boris's check-in lands, Gleb's double check-in is a conflict.
    await context2.setOffline(false);
    await expect(page2.getByTestId("connection-status")).toHaveAttribute("data-mode", "online", { timeout: 20_000 });
    await expect(page2.getByTestId("connection-status")).toHaveAttribute("data-queued", "0", { timeout: 20_000 });
    await expect.poll(() => checkInRow(boris.id), { timeout: 20_000 }).toMatchObject({ check_in_method: "QR_SCAN", status: "CHECKED_IN" });
    expect(await query("SELECT id FROM check_ins WHERE registration_id = $1", [gleb.id])).toHaveLength(1);
    await page2.getByTestId("conflicts-open").click();
    await expect(page2.getByTestId("conflict")).toHaveCount(1);
    await expect(page2.getByTestId("conflict")).toContainText(names[3]);
    await shot(page2, testInfo, "06-conflicts");
    await page2.getByRole("button", { name: S.conflicts.close }).click();

    // Counters on both phones: 4 of 4, per type 2 of 2.
    for (const page of [page1, page2]) {
      await expect(page.getByTestId("counters-total")).toHaveAttribute("data-checked-in", "4", { timeout: 20_000 });
      await page.getByTestId("counters").getByText(S.counters.perType).click();
      for (const type of ["Стандарт", "VIP"]) {
        const row = page.locator(`[data-testid="counters-per-type"] li[data-type-name="${type}"]`);
        await expect(row).toHaveAttribute("data-checked-in", "2");
        await expect(row).toHaveAttribute("data-expected", "2");
      }
    }
    await shot(page1, testInfo, "07-counters-phone-1");
    expect(await query("SELECT id FROM check_ins WHERE event_id = $1", [seeded.ids.event])).toHaveLength(4);
  } finally {
    await browser1.close();
    await browser2.close();
  }
});

test("door scanner: a forged QR is refused and nothing is written; no access without sign-in @phone-only", async ({ playwright, browser }, testInfo) => {
  const browserType = playwright.chromium;
  const seeded = await seedEvent();
  const [anna] = seeded.attendees;
  // Anna's ticket with Boris's registration id swapped in: a valid-looking but forged payload.
  const real = signTicket({ eventId: seeded.ids.event, registrationId: anna.id, code: anna.code });
  const other = signTicket({ eventId: seeded.ids.event, registrationId: seeded.attendees[1].id, code: anna.code });
  const forged = `${other.split(".").slice(0, 2).join(".")}.${real.split(".")[2]}`;
  const video = await qrVideo(forged, testInfo.outputPath("ticket-forged.y4m"));

  // Signed out: the scanner page sends to the sign-in page, the API answers 401.
  const anonymous = await browser.newContext();
  const anonPage = await anonymous.newPage();
  await anonPage.goto(seeded.scannerPath);
  await expect(anonPage).toHaveURL(/\/login\?callbackUrl=/);
  for (const list of ["manifest", "manifest?format=2", "manifest?format=2&since=1"]) {
    const api = await anonPage.request.get(`/api/check-in/${seeded.ids.event}/${list}`);
    expect(api.status(), list).toBe(401);
  }
  await anonymous.close();

  const browserForged = await browserWithCamera(browserType, testInfo, video);
  try {
    const context = await phoneContext(browserForged, testInfo);
    const page = await context.newPage();
    await signIn(page, seeded.owner.email, seeded.scannerPath);
    await openScanner(page, seeded.scannerPath, 4);
    await page.getByRole("button", { name: S.camera.start }).click();
    const result = page.getByTestId("scan-result");
    await expect(result).toHaveAttribute("data-result", "refused", { timeout: 30_000 });
    await expect(page.getByTestId("scan-result-reason")).toHaveAttribute("data-reason", "bad_signature");
    await expect(page.getByTestId("scan-result-reason")).toHaveText(S.reasons.bad_signature);
    await shot(page, testInfo, "forged-refused");
    expect(await query("SELECT id FROM check_ins WHERE event_id = $1", [seeded.ids.event])).toHaveLength(0);
  } finally {
    await browserForged.close();
  }
});

test("door staff: a link opens the scanner without emails, check-ins carry the link; after revocation the scanner is closed @phone-only", async ({ page }, testInfo) => {
  const seeded = await seedEvent();
  const [anna] = seeded.attendees;
  const token = randomBytes(32).toString("base64url");
  const accessId = randomUUID();
  await query(
    `INSERT INTO event_staff_access (id, event_id, label, token_hash, created_by, expires_at)
     VALUES ($1, $2, 'Волонтёр у входа', $3, $4, now() + interval '1 day')`,
    [accessId, seeded.ids.event, createHash("sha256").update(token, "utf8").digest("hex"), seeded.ids.owner],
  );

  // Not signed in at all: the link sets the door cookie and opens the scanner.
  await page.goto(`/api/check-in/staff/${token}`);
  await expect(page).toHaveURL(new RegExp(`${seeded.scannerPath}$`));
  await openScanner(page, seeded.scannerPath, 4);
  await expect(page.getByText(tRu("checkIn.scanner.viewerDoor", { name: "Волонтёр у входа" }))).toBeVisible();

  // Manual search: by name, no email anywhere (door staff never receive one).
  await page.getByTestId("manual-open").click();
  await page.getByLabel(S.search.labelDoor).fill(anna.lastName);
  const hit = page.getByTestId("search-result").filter({ hasText: `${anna.firstName} ${anna.lastName}` });
  await expect(hit).toBeVisible();
  await expect(page.getByTestId("search-results")).not.toContainText("@");
  await shot(page, testInfo, "door-search");
  await hit.click();
  await page.getByRole("button", { name: S.search.confirm }).click();
  await expect(page.getByTestId("scan-result")).toHaveAttribute("data-result", "valid");
  await expect
    .poll(async () => (await query<{ staff_access_id: string | null }>("SELECT staff_access_id FROM check_ins WHERE registration_id = $1", [anna.id]))[0]?.staff_access_id)
    .toBe(accessId);

  // Revoked: the page refuses with the reason.
  await query("UPDATE event_staff_access SET revoked_at = now() WHERE id = $1", [accessId]);
  await page.reload();
  await expect(page.getByRole("heading", { name: S.page.noAccessTitle })).toBeVisible();
  await expect(page.getByTestId("no-access-reason")).toHaveText(ru.checkIn.server.errors.accessRevoked);
  await expectNoHorizontalScroll(page);
  await shot(page, testInfo, "door-revoked");
});
