// Refunds on a phone (docs/payments.md "Refunds", "Refund policy"): the participant's cancel dialog says
// what comes back under the event's policy before they confirm, and the refund is requested; the
// organizer opens a registration's payments, refunds part of a payment, marks the cash returned and sees
// the totals change. The payments here are manual (cash at the door): a manual refund is the
// organizer's to-do, which makes its completion a step of this journey.
import { randomInt, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { SLOW, expectNoHorizontalScroll, keepScreenshot, query, ru, signInViaUi } from "./support";
import { createOrganization, createUser } from "./world";

const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const code = () => Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
const R = ru.refunds;
const money = (text: string) => new RegExp(text.replace(/ /g, "\\s"));

async function paidWorld() {
  const org = await createOrganization("Возвраты");
  const participant = await createUser("Пётр");
  const eventId = randomUUID();
  const typeId = randomUUID();
  const settings = { refundPolicy: { untilHoursBeforeStart: 24, percent: 50 } };
  await query(
    `INSERT INTO events (id, tenant_id, organizer_id, title, status, starts_at, ends_at, timezone, location_type, location_address, slug, settings, published_at)
     VALUES ($1, $2, $3, $4, 'PUBLISHED', now() + interval '10 days', now() + interval '10 days 3 hours', 'Europe/Moscow', 'OFFLINE', 'Москва', $5, $6, now())`,
    [eventId, org.id, org.owner.id, `Возвраты ${eventId.slice(0, 6)}`, `e2e-refunds-${eventId.slice(0, 8)}`, JSON.stringify(settings)],
  );
  await query(
    `INSERT INTO ticket_types (id, event_id, name, price_cents, currency, quantity, sold_count) VALUES ($1, $2, 'Стандарт', 150000, 'RUB', 10, 2)`,
    [typeId, eventId],
  );
  const registration = async (userId: string | null, first: string) => {
    const c = code();
    const [row] = await query<{ id: string }>(
      `INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, user_id, status, confirmation_code, first_name, last_name, email, price_cents, currency, confirmed_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, 'CONFIRMED', $5, $6, 'Тестов', $7, 150000, 'RUB', now()) RETURNING id`,
      [org.id, eventId, typeId, userId, c, first, userId ? null : `${c.toLowerCase()}@example.com`],
    );
    const [payment] = await query<{ id: string }>(
      `INSERT INTO payments (id, tenant_id, registration_id, provider, status, amount_cents, currency, idempotency_key, completed_at)
       VALUES (gen_random_uuid(), $1, $2, 'manual', 'COMPLETED', 150000, 'RUB', gen_random_uuid(), now()) RETURNING id`,
      [org.id, row.id],
    );
    return { id: row.id, code: c, paymentId: payment.id };
  };
  return { org, participant, eventId, mine: await registration(participant.id, "Пётр"), guest: await registration(null, "Гость") };
}

test("refunds: the participant sees what comes back before cancelling; the organizer refunds part of a payment and sees the totals @phone-only", async ({ page, context }, testInfo) => {
  const w = await paidWorld();

  // The participant cancels: the dialog says 750 ₽ (50 % before the cut-off) comes back, by hand.
  const participantPage = page;
  await participantPage.goto(`/dashboard/tickets/${w.mine.id}`);
  await signInViaUi(participantPage, w.participant.email);
  await expect(participantPage).toHaveURL(new RegExp(`/dashboard/tickets/${w.mine.id}$`), { timeout: SLOW });
  await participantPage.getByTestId("cancel-registration").click();
  const preview = participantPage.getByTestId("cancel-refund-preview");
  await expect(preview).toContainText(money("750 ₽"));
  await expect(preview).toContainText(R.cancel.byHand);
  await expectNoHorizontalScroll(participantPage);
  await keepScreenshot(participantPage, testInfo, "cancel-refund-preview");
  await participantPage.getByRole("button", { name: ru.registrations.ticket.cancelConfirm }).click();
  await expect(participantPage.getByTestId("ticket-status")).toHaveAttribute("data-status", "CANCELLED", { timeout: SLOW });
  const requested = await query<{ amount_cents: number; status: string; origin: string }>(
    "SELECT amount_cents, status::text, origin FROM refunds WHERE payment_id = $1",
    [w.mine.paymentId],
  );
  expect(requested).toEqual([{ amount_cents: 75_000, status: "PENDING", origin: "participant_cancel" }]);

  // The organizer: the guest's payments → refund 500 ₽ of 1 500 ₽ → mark it returned → totals change.
  await context.clearCookies();
  const path = `/dashboard/o/${w.org.slug}/events/${w.eventId}/registrations`;
  await page.goto(path);
  await signInViaUi(page, w.org.owner.email);
  await expect(page).toHaveURL(new RegExp(`${path}$`), { timeout: SLOW });
  const row = page.locator(`[data-testid="registration-row"][data-code="${w.guest.code}"]`).filter({ visible: true });
  await row.getByTestId("registration-payments").click();
  const dialog = page.getByTestId("payments-dialog").filter({ visible: true });
  const card = dialog.getByTestId("payment-card");
  await expect(card.getByTestId("payment-status")).toHaveText(R.ui.paymentStatus.COMPLETED);
  await expect(card.getByTestId("payment-refundable")).toHaveText(money("1 500 ₽"));
  await card.getByTestId("open-refund").click();
  await expect(card.getByTestId("refund-amount")).toHaveValue("1500");
  await card.getByTestId("refund-amount").fill("2000");
  await card.getByTestId("confirm-refund").click();
  await expect(card.locator("[data-field-error]")).toHaveText(ru.refunds.errors.exceedsRemaining);
  await card.getByTestId("refund-amount").fill("500");
  await card.getByTestId("refund-reason").fill("Не пришёл на вторую часть");
  await card.getByTestId("confirm-refund").click();
  await expect(page.getByTestId("registrations-notice")).toContainText(money("500 ₽"));
  await expect(card.getByTestId("refund-row")).toHaveAttribute("data-status", "PENDING");
  await expect(card.getByTestId("payment-refundable")).toHaveText(money("1 000 ₽"));
  await keepScreenshot(page, testInfo, "organizer-refund-requested");
  await card.getByTestId("mark-refund-returned").click();
  await expect(card.getByTestId("refund-row")).toHaveAttribute("data-status", "COMPLETED");
  await expect(card.getByTestId("payment-status")).toHaveText(R.ui.paymentStatus.PARTIALLY_REFUNDED);
  await expect(card.getByTestId("payment-refunded")).toHaveText(money("500 ₽"));
  await expect(card.getByTestId("payment-refundable")).toHaveText(money("1 000 ₽"));
  await expectNoHorizontalScroll(page);
  await keepScreenshot(page, testInfo, "organizer-refund-returned");
  const [payment] = await query<{ status: string; refunded_cents: number }>("SELECT status::text, refunded_cents FROM payments WHERE id = $1", [w.guest.paymentId]);
  expect(payment).toEqual({ status: "PARTIALLY_REFUNDED", refunded_cents: 50_000 });
});
