// Developers → API tokens on a phone (docs/api.md → "Tokens and scopes"): the owner of a fresh
// organization meets the form's field errors, creates a token with two scopes, copies it from the
// one-time view, and the token works against the REST API the way curl would use it: it lists the
// organization's events, registers a participant (201, and a retry with the same Idempotency-Key gets the
// same registration), and is refused a scope it lacks (403). Once revoked in the list, it gets 401 and
// nothing more is written. Only the hash is stored.
import { createHash } from "node:crypto";
import { expect, test } from "@playwright/test";
import { expectNoHorizontalScroll, keepScreenshot, query, ru, signInViaUi } from "./support";
import { createEvent, createOrganization } from "./world";

const ui = ru.apiTokens;

test("the owner creates an API token, uses it with the REST API, and revokes it @phone-only", async ({ page, request }, testInfo) => {
  test.setTimeout(180_000);
  const organization = await createOrganization("API");
  const event = await createEvent(organization, "Митап для API", { tickets: [{ name: "Вход", quantity: 50 }] });
  const path = `/dashboard/o/${organization.slug}/developers`;

  await page.goto(path);
  await signInViaUi(page, organization.owner.email);
  await expect(page).toHaveURL(new RegExp(`${path}$`), { timeout: 30_000 });
  await expect(page.getByTestId("api-token-empty")).toBeVisible();

  // Bad input: errors on the fields, nothing saved.
  const form = page.getByTestId("api-token-form");
  await form.getByTestId("api-token-submit").click();
  await expect(form.getByText(ui.validation.nameRequired)).toBeVisible();
  await expect(form.getByText(ui.validation.scopesRequired)).toBeVisible();
  expect(await query("SELECT 1 FROM api_tokens WHERE organization_id = $1", [organization.id])).toHaveLength(0);

  await page.getByTestId("api-token-name").fill("CRM");
  await page.getByTestId("api-token-scope-events:read").check();
  await page.getByTestId("api-token-scope-registrations:write").check();
  await page.getByTestId("api-token-submit").click();
  const token = (await page.getByTestId("api-token-value").textContent())!.trim();
  expect(token).toMatch(/^aq_org_[A-Za-z0-9]{32}$/);
  await expectNoHorizontalScroll(page);
  await keepScreenshot(page, testInfo, "api-token-created");
  // Only the hash is stored.
  const [stored] = await query<{ token_hash: string; scopes: string[] }>("SELECT token_hash, scopes FROM api_tokens WHERE organization_id = $1", [organization.id]);
  expect(stored.token_hash).toBe(createHash("sha256").update(token).digest("hex"));
  expect([...stored.scopes].sort()).toEqual(["events:read", "registrations:write"]);

  // The token against the API, as curl would send it.
  const auth = { authorization: `Bearer ${token}` };
  const events = await request.get("/api/v1/events", { headers: auth });
  expect(events.status()).toBe(200);
  expect(events.headers()["ratelimit-limit"]).toBeTruthy();
  expect(((await events.json()) as { data: { id: string }[] }).data.map((e) => e.id)).toEqual([event.id]);

  const body = { ticketTypeId: event.typeIds[0], firstName: "Анна", lastName: "Петрова", email: `anna-${Date.now()}@example.org` };
  const created = await request.post(`/api/v1/events/${event.id}/registrations`, { headers: { ...auth, "idempotency-key": "e2e-1" }, data: body });
  expect(created.status()).toBe(201);
  const registration = ((await created.json()) as { data: { id: string; status: string } }).data;
  expect(registration.status).toBe("CONFIRMED");
  const retried = await request.post(`/api/v1/events/${event.id}/registrations`, { headers: { ...auth, "idempotency-key": "e2e-1" }, data: body });
  expect(retried.status()).toBe(201);
  expect(retried.headers()["idempotent-replayed"]).toBe("true");
  expect(((await retried.json()) as { data: { id: string } }).data.id).toBe(registration.id);

  // A scope it does not have: 403, with the scope named.
  const refused = await request.get(`/api/v1/events/${event.id}/check-ins`, { headers: auth });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { scope: string }).scope).toBe("checkin");

  // The list shows it, used; revoke it there.
  await page.getByTestId("api-token-done").click();
  await page.reload();
  const item = page.getByTestId("api-token-item");
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId("api-token-item-name")).toHaveText("CRM");
  await expect(item.getByTestId("api-token-item-state")).toHaveText(ui.list.stateActive);
  await item.getByTestId("api-token-revoke").click();
  await page.getByRole("dialog").getByRole("button", { name: ui.list.revoke }).click();
  await expect(item.getByTestId("api-token-item-state")).toHaveText(ui.list.stateRevoked);
  await keepScreenshot(page, testInfo, "api-token-revoked");

  // Revoked: 401 with a clear message, and nothing written.
  const after = await request.post(`/api/v1/events/${event.id}/registrations`, { headers: { ...auth, "idempotency-key": "e2e-2" }, data: { ...body, email: `late-${Date.now()}@example.org` } });
  expect(after.status()).toBe(401);
  expect(((await after.json()) as { message: string }).message).toBeTruthy();
  expect(await query("SELECT 1 FROM registrations WHERE event_id = $1", [event.id])).toHaveLength(1);
});
