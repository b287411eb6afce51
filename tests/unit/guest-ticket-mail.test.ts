// The guest's ticket email (lib/registrations/guest-ticket-mail.ts): both languages, the private link as
// the one action, the reservation deadline for RESERVED, escaping in the HTML version.
import { describe, expect, test } from "vitest";
import { renderGuestTicketMail, type GuestTicketMailInput } from "@/lib/registrations/guest-ticket-mail";

const base: GuestTicketMailInput = {
  firstName: "Анна",
  eventTitle: "Митап <про> «Next.js»",
  startsAt: new Date("2027-03-15T16:00:00Z"),
  timezone: "Europe/Moscow",
  ticketTypeName: "Стандартный",
  confirmationCode: "ABCD2345",
  status: "CONFIRMED",
  expiresAt: null,
  ticketUrl: "https://aqstream.example/t/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde",
};

describe("renderGuestTicketMail", () => {
  test("ru: subject, greeting, the event, code and the private link", () => {
    const mail = renderGuestTicketMail(base, "ru");
    expect(mail.subject).toBe("Ваш билет: Митап <про> «Next.js»");
    expect(mail.text).toContain("Здравствуйте, Анна!");
    expect(mail.text).toContain("ABCD2345");
    expect(mail.text).toContain("19:00"); // 16:00 UTC in Moscow
    expect(mail.text).toContain(`Открыть билет:\n${base.ticketUrl}`);
    expect(mail.text).toContain("Не пересылайте");
    expect(mail.text).not.toContain("оплатите");
    expect(mail.html).toContain(`href="${base.ticketUrl}"`);
    expect(mail.html).toContain("Митап &lt;про&gt;");
    expect(mail.html).not.toContain("<про>");
    expect(mail.html).toContain('lang="ru"');
  });

  test("en, RESERVED: the payment deadline in the event's time zone", () => {
    const mail = renderGuestTicketMail({ ...base, status: "RESERVED", expiresAt: new Date("2027-03-01T09:30:00Z") }, "en");
    expect(mail.subject).toBe("Your ticket: Митап <про> «Next.js»");
    expect(mail.text).toContain("Hello, Анна!");
    expect(mail.text).toContain("reserved until");
    expect(mail.text).toContain("12:30"); // 09:30 UTC in Moscow
    expect(mail.text).toContain(`Open ticket:\n${base.ticketUrl}`);
  });

  test("PENDING: asks to pay; the subject stays one line", () => {
    const mail = renderGuestTicketMail({ ...base, status: "PENDING", eventTitle: "Line one\nline two" }, "ru");
    expect(mail.text).toContain("ожидает оплаты");
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});
