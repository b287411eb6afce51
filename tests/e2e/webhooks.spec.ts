// Developers → Webhooks on a phone (docs/webhooks.md): the owner of a fresh organization adds a webhook
// (field errors first: no event chosen, a URL that is not http(s)), copies the secret shown once, a
// registration is delivered signed to a receiver served by the test on another port, the delivery log
// shows it with its payload and the receiver's answer, and "Redeliver" sends it again with the same id.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { expectNoHorizontalScroll, keepScreenshot, query, ru, signInViaUi } from "./support";
import { createEvent, createOrganization } from "./world";

const ui = ru.webhooks;

test("the owner adds a webhook, gets a signed delivery, reads the log and redelivers @phone-only", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("принято");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/aqstream`;
  try {
    const organization = await createOrganization("Вебхуки");
    const event = await createEvent(organization, "Лекция для вебхука");
    const path = `/dashboard/o/${organization.slug}/developers/webhooks`;

    await page.goto(path);
    await signInViaUi(page, organization.owner.email);
    await expect(page).toHaveURL(new RegExp(`${path}$`), { timeout: 30_000 });
    await expect(page.getByRole("heading", { level: 1, name: ui.title })).toBeVisible();
    await expect(page.getByTestId("webhooks-empty")).toHaveText(ui.empty);

    // Bad input: messages on the fields, nothing saved.
    const form = page.getByTestId("webhook-form");
    await form.getByLabel(ui.form.url).fill("ftp://example.com/hook");
    for (const box of await form.getByRole("checkbox").all()) await box.uncheck();
    await form.getByTestId("webhook-submit").click();
    await expect(form.getByText(ui.validation.urlScheme)).toBeVisible();
    await expect(form.getByText(ui.validation.eventTypesRequired)).toBeVisible();
    expect(await query("SELECT 1 FROM webhook_endpoints WHERE organization_id = $1", [organization.id])).toHaveLength(0);

    await form.getByLabel(ui.form.url).fill(receiverUrl);
    await form.getByLabel(ui.form.description).fill("CRM");
    await form.getByTestId("webhook-type-registration.created").check();
    await form.getByTestId("webhook-submit").click();
    const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await expect(page.getByTestId("webhook-item")).toHaveCount(1);
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "webhooks-created");

    // A registration → one signed POST to the receiver.
    await query(
      `INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, status, confirmation_code, first_name, email, confirmed_at)
       VALUES (gen_random_uuid(), $1, $2, $3, 'CONFIRMED', 'WHKE2E23', 'Вера', 'vera@example.com', now())`,
      [organization.id, event.id, event.typeIds[0]],
    );
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(1);
    const headers = Object.fromEntries(["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [h, String(received[0].headers[h])]));
    const payload = new Webhook(secret).verify(received[0].body, headers) as { type: string; data: { registration: { confirmationCode: string } } };
    expect(payload.type).toBe("registration.created");
    expect(payload.data.registration.confirmationCode).toBe("WHKE2E23");

    // The log: the delivery, its payload and the receiver's answer; Redeliver sends it again.
    await page.getByTestId("webhook-item").click();
    await expect(page.getByTestId("webhook-endpoint-url")).toHaveText(receiverUrl);
    const item = page.getByTestId("webhook-delivery");
    await expect(item).toHaveCount(1);
    await expect(item).toContainText(ui.log.SUCCEEDED);
    await item.getByRole("link", { name: ui.log.details }).click();
    const detail = page.getByTestId("webhook-delivery-detail");
    await expect(detail).toContainText("WHKE2E23");
    await expect(detail).toContainText("принято");
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "webhooks-log");
    await detail.getByTestId("webhook-redeliver").click();
    await expect(detail.getByText(ui.log.redelivered)).toBeVisible();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(2);
    expect(received[1].headers["webhook-id"]).toBe(headers["webhook-id"]);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
