// The participant pays online, on a phone, with the built-in demo provider (no money moves): reserve a paid
// ticket → "Pay" → the demo checkout → back on the return page, which turns "paid" → the ticket with its QR;
// a deposit now, the remainder later from the ticket page; and a cancellation whose refund completes. The demo provider goes through the same code
// as YooKassa and Stripe (lib/payments checkout → settle; its webhook comes back to our route).
import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import pg from "pg";
import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, SLOW, databaseUrl, expectNoHorizontalScroll, keepScreenshot, query, ru, signInViaUi, uniqueEmail } from "./support";

const PASSWORD_HASH = bcrypt.hashSync(PASSWORD, 4);

type TicketSpec = { name: string; priceCents: number; reservationMinutes?: number | null; prepaymentPercent?: number | null };

async function createParticipant(firstName: string) {
  const email = uniqueEmail("pay");
  const id = randomUUID();
  await query(`INSERT INTO users (id, email, email_verified, password_hash, first_name, last_name) VALUES ($1, $2, true, $3, $4, 'Платёжная')`, [id, email, PASSWORD_HASH, firstName]);
  return { id, email };
}

/** A published paid event in its own organization with the demo provider connected. */
async function createPaidEvent(title: string, ticket: TicketSpec) {
  const ids = { owner: randomUUID(), org: randomUUID(), event: randomUUID(), type: randomUUID() };
  const orgSlug = `e2e-pay-${ids.org.slice(0, 8)}`;
  const slug = `e2e-pay-event-${ids.event.slice(0, 8)}`;
  const startsAt = new Date(Date.now() + 7 * 24 * 3600_000);
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(`INSERT INTO users (id, email, first_name) VALUES ($1, $2, 'Организатор')`, [ids.owner, uniqueEmail("owner")]);
    await client.query(`INSERT INTO organizations (id, owner_id, name, slug) VALUES ($1, $2, $3, $4)`, [ids.org, ids.owner, `Клуб ${orgSlug}`, orgSlug]);
    await client.query(`INSERT INTO organization_members (id, organization_id, user_id, role) VALUES ($1, $2, $3, 'OWNER')`, [randomUUID(), ids.org, ids.owner]);
    await client.query(`INSERT INTO payment_accounts (id, tenant_id, provider, updated_at) VALUES ($1, $2, 'demo', now())`, [randomUUID(), ids.org]);
    await client.query(
      `INSERT INTO events (id, tenant_id, organizer_id, title, status, starts_at, ends_at, slug, location_address, published_at)
       VALUES ($1, $2, $3, $4, 'PUBLISHED', $5, $6, $7, 'Москва, ул. Тестовая, 1', now())`,
      [ids.event, ids.org, ids.owner, title, startsAt, new Date(startsAt.getTime() + 3 * 3600_000), slug],
    );
    await client.query(
      `INSERT INTO ticket_types (id, event_id, name, price_cents, currency, quantity, reservation_minutes, prepayment_percent, sort_order)
       VALUES ($1, $2, $3, $4, 'RUB', 20, $5, $6, 0)`,
      [ids.type, ids.event, ticket.name, ticket.priceCents, ticket.reservationMinutes ?? null, ticket.prepaymentPercent ?? null],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    await client.end();
  }
  return { eventId: ids.event, typeId: ids.type, registerPath: `/e/${orgSlug}/${slug}/register` };
}

async function registerSignedIn(page: Page, email: string, registerPath: string) {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(registerPath)}`);
  await signInViaUi(page, email);
  await expect(page).toHaveURL(new RegExp(`${registerPath.replace(/[/?]/g, "\\$&")}$`), { timeout: SLOW });
  await page.getByTestId("register-submit").click();
  await expect(page).toHaveURL(/\/dashboard\/tickets\/[0-9a-f-]{36}\?new=1$/, { timeout: SLOW });
}

/** On the demo checkout: pays with the success card and lands on our return page, which turns "paid". */
async function payOnDemoCheckout(page: Page) {
  await expect(page).toHaveURL(/\/pay\/demo\//, { timeout: SLOW });
  await expect(page.getByTestId("demo-banner")).toBeVisible();
  // The card form is a client island: pay once it is hydrated (before that a tap would submit a plain form).
  await page.waitForLoadState("networkidle");
  await page.getByTestId("demo-card").fill("4242 4242 4242 4242");
  await page.getByTestId("demo-pay").click();
  await expect(page).toHaveURL(/\/pay\/return\/[0-9a-f-]{36}\?k=/, { timeout: SLOW });
  await expect(page.getByTestId("payment-return")).toHaveAttribute("data-state", "paid", { timeout: SLOW });
}

test.describe("online payment (participant, demo provider)", () => {
  test("@phone-only reserve a paid ticket, pay, see the ticket", async ({ page }, testInfo) => {
    const event = await createPaidEvent("Платный мастер-класс", { name: "Участник", priceCents: 150_000, reservationMinutes: 15 });
    const person = await createParticipant("Полина");
    await registerSignedIn(page, person.email, event.registerPath);

    await expect(page.getByTestId("ticket-status")).toHaveAttribute("data-status", "RESERVED");
    await expect(page.getByTestId("reservation-countdown")).toBeVisible();
    const pay = page.getByTestId("pay");
    await expect(pay).toBeVisible();
    await expect(pay).toContainText("1");
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "ticket-reserved-pay");

    await pay.click();
    await payOnDemoCheckout(page);
    await expect(page.getByText(ru.pay.return.paid.title)).toBeVisible();
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "return-paid");

    await page.getByTestId("open-ticket").click();
    await expect(page.getByTestId("ticket-status")).toHaveAttribute("data-status", "CONFIRMED", { timeout: SLOW });
    await expect(page.getByTestId("ticket-qr").locator("svg")).toBeVisible();
    await expect(page.getByTestId("payments-list").locator("li")).toHaveCount(1);
    await expect(page.getByTestId("payments-list")).toContainText(ru.pay.status.COMPLETED);
    await keepScreenshot(page, testInfo, "ticket-paid");

    const [row] = await query<{ status: string; payment_status: string; provider: string; amount_cents: number }>(
      `SELECT r.status::text, p.status::text AS payment_status, p.provider, p.amount_cents
         FROM registrations r JOIN payments p ON p.registration_id = r.id WHERE r.event_id = $1 AND r.user_id = $2`,
      [event.eventId, person.id],
    );
    expect(row).toEqual({ status: "CONFIRMED", payment_status: "COMPLETED", provider: "demo", amount_cents: 150_000 });
  });

  test("@phone-only pay, cancel, and see the refund complete", async ({ page }, testInfo) => {
    const event = await createPaidEvent("Лекция с возвратом", { name: "Слушатель", priceCents: 90_000, reservationMinutes: 15 });
    const person = await createParticipant("Вера");
    await registerSignedIn(page, person.email, event.registerPath);
    await page.getByTestId("pay").click();
    await payOnDemoCheckout(page);
    await page.getByTestId("open-ticket").click();
    await expect(page.getByTestId("ticket-status")).toHaveAttribute("data-status", "CONFIRMED", { timeout: SLOW });

    // The cancel dialog says what comes back (no refund policy set: all of it, to the card) before confirming.
    await page.getByTestId("cancel-registration").click();
    await expect(page.getByTestId("cancel-refund-preview")).toContainText(/900\s₽/);
    await keepScreenshot(page, testInfo, "cancel-refund-preview");
    await page.getByRole("button", { name: ru.registrations.ticket.cancelConfirm }).click();
    await expect(page.getByTestId("ticket-status")).toHaveAttribute("data-status", "CANCELLED", { timeout: SLOW });

    // The refund runs as a job through the demo provider; the ticket page shows the payment refunded.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("payments-list")).toContainText(ru.pay.status.REFUNDED, { timeout: 1000 });
    }).toPass({ timeout: SLOW });
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "ticket-refunded");

    const [row] = await query<{ payment_status: string; refunded_cents: number; refund_status: string; origin: string }>(
      `SELECT p.status::text AS payment_status, p.refunded_cents, f.status::text AS refund_status, f.origin
         FROM payments p JOIN registrations r ON r.id = p.registration_id JOIN refunds f ON f.payment_id = p.id
        WHERE r.event_id = $1 AND r.user_id = $2`,
      [event.eventId, person.id],
    );
    expect(row).toEqual({ payment_status: "REFUNDED", refunded_cents: 90_000, refund_status: "COMPLETED", origin: "participant_cancel" });
  });

  test("@phone-only pay a deposit now and the remainder later from the ticket page", async ({ page }, testInfo) => {
    const event = await createPaidEvent("Выездной интенсив", { name: "С предоплатой", priceCents: 10_000, reservationMinutes: 15, prepaymentPercent: 30 });
    const person = await createParticipant("Глеб");
    await registerSignedIn(page, person.email, event.registerPath);

    await page.getByTestId("pay-deposit").click();
    await payOnDemoCheckout(page);
    await page.getByTestId("open-ticket").click();
    await expect(page.getByTestId("ticket-status")).toHaveAttribute("data-status", "CONFIRMED", { timeout: SLOW });
    await expect(page.getByTestId("remainder-due")).toBeVisible();
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "ticket-deposit-paid");

    await page.getByTestId("pay-remainder").click();
    await payOnDemoCheckout(page);
    await page.getByTestId("open-ticket").click();
    await expect(page.getByTestId("remainder-due")).toHaveCount(0, { timeout: SLOW });
    await expect(page.getByTestId("payments-list").locator("li")).toHaveCount(2);
    await keepScreenshot(page, testInfo, "ticket-remainder-paid");

    const payments = await query<{ kind: string; status: string; amount_cents: number }>(
      `SELECT p.kind, p.status::text, p.amount_cents FROM payments p JOIN registrations r ON r.id = p.registration_id
        WHERE r.event_id = $1 AND r.user_id = $2 ORDER BY p.created_at`,
      [event.eventId, person.id],
    );
    expect(payments).toEqual([
      { kind: "PREPAYMENT", status: "COMPLETED", amount_cents: 3000 },
      { kind: "REMAINDER", status: "COMPLETED", amount_cents: 7000 },
    ]);
    const [prepayment] = await query<{ status: string }>(
      `SELECT p.status::text FROM prepayments p JOIN registrations r ON r.id = p.registration_id WHERE r.event_id = $1 AND r.user_id = $2`,
      [event.eventId, person.id],
    );
    expect(prepayment.status).toBe("COMPLETED");
  });
});
