// The embeddable widget on another origin (issue 17 "Done when"; docs/widget.md): a site served by this
// spec from a second port (node:http, 127.0.0.1:<port> — another origin than the app on localhost:<E2E_PORT>)
// pastes the snippets. The script snippet renders in a Shadow DOM the host's hostile CSS cannot touch,
// shows the ticket types with seats, shows the server's field errors on the fields, registers a guest
// and shows the confirmation with the ticket link; the same done with the keyboard alone; the iframe
// snippet registers too (its page may be framed: frame-ancestors *, no X-Frame-Options; other pages DENY).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { SLOW, expectNoHorizontalScroll, keepScreenshot, query, signInViaUi, uniqueEmail } from "./support";
import { createEvent, createOrganization } from "./world";

let host: http.Server;
let hostOrigin = "";
let appOrigin = "";

/** The organizer's own site: their styles (deliberately hostile to anything embedded) and the snippet. */
function hostPage(url: URL): string {
  const event = url.searchParams.get("event") ?? "";
  const lang = url.searchParams.get("lang") ?? "ru";
  const snippet =
    url.pathname === "/iframe"
      ? `<iframe src="${appOrigin}/embed/${event}?locale=${lang}" title="AqStream" style="width:100%;max-width:36rem;height:640px;border:0"></iframe>`
      : `<script src="${appOrigin}/widget.js" async></script>\n<div data-aqstream-event="${event}"></div>`;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Клуб настольных игр</title>
<style>body{font-family:Georgia,serif;margin:0;padding:12px;background:#fffbe6} * {color:#c00 !important;font-size:30px} button{display:none !important} input{border:5px dotted #0c0 !important}</style></head>
<body><h1 id="site-title">Наш клуб</h1><p id="site-text">Приходите на вечер!</p>${snippet}</body></html>`;
}

test.beforeAll(async ({ baseURL }) => {
  appOrigin = new URL(baseURL!).origin;
  host = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(hostPage(url));
  });
  await new Promise<void>((r) => host.listen(0, "127.0.0.1", r));
  hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
});

test.afterAll(() => new Promise<void>((r) => host.close(() => r())));

/** A published event that lets guests register, with one free type of `quantity` seats. */
async function guestEvent(title: string, quantity = 5, organization?: Awaited<ReturnType<typeof createOrganization>>) {
  organization ??= await createOrganization("Клуб виджетов");
  const event = await createEvent(organization, title, { tickets: [{ name: "Стандарт", quantity }] });
  await query(`UPDATE events SET settings = '{"allowGuests": true}'::jsonb WHERE id = $1`, [event.id]);
  return event;
}

const registrationsOf = (eventId: string, email: string) =>
  query<{ status: string; user_id: string | null; first_name: string }>(`SELECT status, user_id, first_name FROM registrations WHERE event_id = $1 AND email = $2`, [eventId, email]);

/** The element focused inside the widget's shadow root: its name (or role / text). */
function focusedInWidget(page: Page) {
  return page.evaluate(() => {
    const el = document.querySelector("[data-aqstream-event]")?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    return el ? el.getAttribute("name") || el.getAttribute("role") || el.textContent || el.tagName : null;
  });
}

test("the script snippet on another origin: ticket types with seats, field errors, a guest registers and gets the ticket link", async ({ page }, testInfo) => {
  // Phone first: the narrowest phone the product supports.
  if (testInfo.project.name === "phone") await page.setViewportSize({ width: 360, height: 780 });
  const event = await guestEvent("Вечер настолок в виджете");
  const requests: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/widget/")) requests.push(`${r.method()} ${new URL(r.url()).origin}`);
  });
  await page.goto(`${hostOrigin}/?event=${event.id}&lang=ru`);
  const widget = page.locator("[data-aqstream-event]");
  await expect(widget.getByRole("heading", { name: "Вечер настолок в виджете" })).toBeVisible({ timeout: SLOW });
  expect(new URL(page.url()).origin).not.toBe(appOrigin);
  const standard = widget.getByRole("radio", { name: /Стандарт/ });
  await expect(standard).toBeChecked();
  await expect(widget.getByText("Осталось 5 мест")).toBeVisible();
  await expect(widget.getByText("Бесплатно")).toBeVisible();

  // The host's CSS does not reach in (its buttons are display:none, its text red and 30 px) …
  const submit = widget.getByRole("button", { name: "Зарегистрироваться" });
  await expect(submit).toBeVisible();
  expect(await submit.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(255, 255, 255)");
  expect(await widget.getByRole("heading").evaluate((el) => getComputedStyle(el).fontSize)).toBe("20px");
  // … and the widget's CSS does not leak out.
  expect(await page.locator("#site-text").evaluate((el) => getComputedStyle(el).color)).toBe("rgb(204, 0, 0)");

  await widget.getByLabel("Имя").fill("Анна");
  await widget.getByLabel("Электронная почта").fill("not-an-email");
  await submit.click();
  const email = widget.getByLabel("Электронная почта");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toBeFocused();
  await expect(widget.getByText("Проверьте отмеченные поля.")).toBeVisible();
  await keepScreenshot(page, testInfo, "widget-field-error");

  const address = uniqueEmail("widget");
  await email.fill(address);
  await widget.getByRole("button", { name: "Зарегистрироваться" }).click();
  const done = widget.getByRole("status").filter({ hasText: "Вы зарегистрированы!" });
  await expect(done).toBeVisible({ timeout: SLOW });
  await expect(done).toContainText(address);
  const ticket = widget.getByRole("link", { name: /Открыть билет/ });
  await expect(ticket).toHaveAttribute("href", new RegExp(`^${appOrigin}/t/[A-Za-z0-9_-]{43}$`));
  await expect(ticket).toHaveAttribute("target", "_blank");
  await expectNoHorizontalScroll(page);
  await keepScreenshot(page, testInfo, "widget-registered");

  expect(await registrationsOf(event.id, address)).toEqual([{ status: "CONFIRMED", user_id: null, first_name: "Анна" }]);
  // Cross-origin calls, answered (CORS): the event, the refused and the accepted submission.
  expect(requests).toEqual(expect.arrayContaining([`GET ${appOrigin}`, `POST ${appOrigin}`]));

  // "Register another person": the seats read again (one fewer).
  await widget.getByRole("button", { name: "Зарегистрировать ещё одного человека" }).click();
  await expect(widget.getByText("Осталось 4 места")).toBeVisible();
});

test("keyboard only: the widget is completed with Tab, typing and Enter, in the page's language @desktop-only", async ({ page }, testInfo) => {
  const event = await guestEvent("Keyboard evening");
  await page.goto(`${hostOrigin}/?event=${event.id}&lang=en`);
  const widget = page.locator("[data-aqstream-event]");
  await expect(widget.getByRole("heading", { name: "Keyboard evening" })).toBeVisible({ timeout: SLOW });
  await expect(widget.getByText("5 seats left")).toBeVisible();

  // From the top of the host page: Tab into the widget, to the ticket type (already chosen: the only one).
  let focused: string | null = null;
  for (let i = 0; i < 10 && focused !== "ticketTypeId"; i++) {
    await page.keyboard.press("Tab");
    focused = await focusedInWidget(page);
  }
  expect(focused).toBe("ticketTypeId");
  await page.keyboard.press("Tab");
  expect(await focusedInWidget(page)).toBe("firstName");
  await page.keyboard.type("Kim");
  await page.keyboard.press("Tab");
  expect(await focusedInWidget(page)).toBe("lastName");
  await page.keyboard.press("Tab");
  expect(await focusedInWidget(page)).toBe("email");
  const address = uniqueEmail("kbd");
  await page.keyboard.type(address);
  await page.keyboard.press("Enter");

  const done = widget.getByRole("status").filter({ hasText: "You are registered!" });
  await expect(done).toBeVisible({ timeout: SLOW });
  await expect(done).toBeFocused();
  await page.keyboard.press("Tab");
  expect(await focusedInWidget(page)).toMatch(/Open the ticket/);
  await keepScreenshot(page, testInfo, "widget-keyboard");
  expect(await registrationsOf(event.id, address)).toEqual([{ status: "CONFIRMED", user_id: null, first_name: "Kim" }]);
});

test("the iframe snippet registers a guest; only the embed page may be framed @phone-only", async ({ page, request }, testInfo) => {
  const event = await guestEvent("Iframe evening", 3);
  const embed = await request.get(`/embed/${event.id}?locale=en`);
  expect(embed.status()).toBe(200);
  expect(embed.headers()["x-frame-options"]).toBeUndefined();
  expect(embed.headers()["content-security-policy"]).toContain("frame-ancestors *");
  const login = await request.get("/login");
  expect(login.headers()["x-frame-options"]).toBe("DENY");
  expect(login.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");

  await page.goto(`${hostOrigin}/iframe?event=${event.id}&lang=en`);
  const frame = page.frameLocator("iframe");
  await expect(frame.getByRole("heading", { name: "Iframe evening" })).toBeVisible({ timeout: SLOW });
  await expect(frame.getByText("3 seats left")).toBeVisible();
  await frame.getByLabel("First name").fill("Lena");
  const address = uniqueEmail("iframe");
  await frame.getByLabel("Email").fill(address);
  await frame.getByRole("button", { name: "Register" }).click();
  await expect(frame.getByRole("status").filter({ hasText: "You are registered!" })).toBeVisible({ timeout: SLOW });
  await expect(frame.getByRole("link", { name: /Open the ticket/ })).toHaveAttribute("href", new RegExp(`/t/[A-Za-z0-9_-]{43}$`));
  await expectNoHorizontalScroll(page);
  await keepScreenshot(page, testInfo, "widget-iframe");
  expect(await registrationsOf(event.id, address)).toEqual([{ status: "CONFIRMED", user_id: null, first_name: "Lena" }]);
});

test("the organizer copies the snippets from the event's dashboard page @desktop-only", async ({ page }, testInfo) => {
  const organization = await createOrganization("Клуб сниппетов");
  const event = await guestEvent("Событие со сниппетом", 5, organization);
  const path = `/dashboard/o/${organization.slug}/events/${event.id}`;
  await page.goto(path);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await signInViaUi(page, organization.owner.email);
  await expect(page).toHaveURL(new RegExp(`${path}$`), { timeout: SLOW });

  const card = page.getByTestId("embed-card");
  await expect(card.getByRole("heading", { name: "Виджет для вашего сайта" })).toBeVisible();
  const script = card.getByLabel("Скрипт (рекомендуется)");
  await expect(script).toHaveValue(`<script src="${appOrigin}/widget.js" async></script>\n<div data-aqstream-event="${event.id}" data-locale="ru"></div>`);
  await expect(card.getByLabel("Iframe")).toHaveValue(new RegExp(`<iframe src="${appOrigin}/embed/${event.id}\\?locale=ru"`));
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: appOrigin });
  await card.getByTestId("embed-script-copy").click();
  await expect(card.getByTestId("embed-script-copy")).toHaveText("Скопировано");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`data-aqstream-event="${event.id}"`);
  await expect(card.getByRole("link", { name: "Посмотреть, как выглядит виджет" })).toHaveAttribute("href", `${appOrigin}/embed/${event.id}?locale=ru`);
  await card.scrollIntoViewIfNeeded();
  await keepScreenshot(page, testInfo, "widget-dashboard-card");
});
