// Counts are shown with ICU plural forms: Russian one / few / many (1 место, 2 места, 5 мест,
// 11 мест, 21 место, 22 места, 25 мест), English one / other.
import { describe, expect, test } from "vitest";
import { translatorFor } from "@/lib/i18n/catalogue";
import type { MessageKey } from "@/lib/i18n/translate";

const ru = translatorFor("ru");
const en = translatorFor("en");
const N = [1, 2, 5, 11, 21, 22, 25] as const;

function ruForms(key: MessageKey, arg = "count", extra: Record<string, string | number> = {}) {
  return N.map((n) => ru(key, { ...extra, [arg]: n }));
}

describe("Russian plural forms", () => {
  test("seats left (public event page, registration form)", () => {
    const expected = ["Осталось 1 место", "Осталось 2 места", "Осталось 5 мест", "Осталось 11 мест", "Осталось 21 место", "Осталось 22 места", "Осталось 25 мест"];
    expect(ruForms("public.event.left")).toEqual(expected);
    expect(ruForms("registrations.register.seatsLeft")).toEqual(expected);
  });

  test("seats of a ticket type and free seats (organizer)", () => {
    expect(ruForms("events.ui.tickets.seats", "quantity")).toEqual(["1 место", "2 места", "5 мест", "11 мест", "21 место", "22 места", "25 мест"]);
    expect(ruForms("events.ui.tickets.available")).toEqual([
      "Свободно 1 место",
      "Свободно 2 места",
      "Свободно 5 мест",
      "Свободно 11 мест",
      "Свободно 21 место",
      "Свободно 22 места",
      "Свободно 25 мест",
    ]);
  });

  test("minutes of a reservation", () => {
    expect(ruForms("events.ui.tickets.reservation", "minutes")).toEqual([
      "Бронь на 1 минуту",
      "Бронь на 2 минуты",
      "Бронь на 5 минут",
      "Бронь на 11 минут",
      "Бронь на 21 минуту",
      "Бронь на 22 минуты",
      "Бронь на 25 минут",
    ]);
    expect(ru("registrations.register.reservationHint", { minutes: 21 })).toBe("Бронь на 21 минуту — оплатите за это время");
  });

  test("members, attendees, registrations, events, tickets", () => {
    expect(ruForms("groups.memberCount")).toEqual(["1 участник", "2 участника", "5 участников", "11 участников", "21 участник", "22 участника", "25 участников"]);
    expect(ruForms("members.listCount")).toEqual(ruForms("groups.memberCount"));
    expect(ruForms("public.event.participantsMore")).toEqual([
      "и ещё 1 участник",
      "и ещё 2 участника",
      "и ещё 5 участников",
      "и ещё 11 участников",
      "и ещё 21 участник",
      "и ещё 22 участника",
      "и ещё 25 участников",
    ]);
    expect(ruForms("events.ui.overview.cancelled")).toEqual([
      "Событие отменено. Отменена 1 регистрация.",
      "Событие отменено. Отменены 2 регистрации.",
      "Событие отменено. Отменено 5 регистраций.",
      "Событие отменено. Отменено 11 регистраций.",
      "Событие отменено. Отменена 21 регистрация.",
      "Событие отменено. Отменены 22 регистрации.",
      "Событие отменено. Отменено 25 регистраций.",
    ]);
    expect(ruForms("public.catalogue.results")).toEqual([
      "Найдено 1 событие",
      "Найдено 2 события",
      "Найдено 5 событий",
      "Найдено 11 событий",
      "Найдено 21 событие",
      "Найдено 22 события",
      "Найдено 25 событий",
    ]);
    expect(ru("checkIn.scanner.list.ready", { count: 21, time: "19:05" })).toBe("Список: 21 билет · обновлён в 19:05");
    expect(ru("events.ui.form.savedNotified", { count: 21 })).toBe("Изменения сохранены. Уведомление отправлено 21 участнику.");
  });

  test("waitlist: people ahead, with a text of its own for nobody", () => {
    expect(ruForms("registrations.waitlist.ahead")).toEqual([
      "Перед вами 1 человек.",
      "Перед вами 2 человека.",
      "Перед вами 5 человек.",
      "Перед вами 11 человек.",
      "Перед вами 21 человек.",
      "Перед вами 22 человека.",
      "Перед вами 25 человек.",
    ]);
    expect(ru("registrations.waitlist.ahead", { count: 0 })).toBe("Перед вами никого нет.");
  });

  test("sessions and days / hours of a countdown", () => {
    expect(ruForms("account.sessions.signedOutOthers")).toEqual([
      "Завершён 1 другой сеанс.",
      "Завершены 2 других сеанса.",
      "Завершено 5 других сеансов.",
      "Завершено 11 других сеансов.",
      "Завершён 21 другой сеанс.",
      "Завершены 22 других сеанса.",
      "Завершено 25 других сеансов.",
    ]);
    expect(ru("registrations.claim.timeLeftDays", { days: 1, hours: 21 })).toBe("Осталось: 1 день 21 час");
    expect(ru("registrations.claim.timeLeftDays", { days: 2, hours: 5 })).toBe("Осталось: 2 дня 5 часов");
    expect(ru("registrations.claim.timeLeftDays", { days: 5, hours: 22 })).toBe("Осталось: 5 дней 22 часа");
  });

  test("large counts are grouped as numbers", () => {
    expect(ru("events.ui.tickets.seats", { quantity: 1500 })).toBe("1\u00a0500 мест");
    expect(en("events.ui.tickets.seats", { quantity: 1500 })).toBe("1,500 seats");
  });
});

describe("English plural forms", () => {
  test.each([
    ["public.event.left", "count", "1 seat left", "2 seats left"],
    ["registrations.register.seatsLeft", "count", "1 seat left", "2 seats left"],
    ["events.ui.tickets.seats", "quantity", "1 seat", "2 seats"],
    ["events.ui.tickets.reservation", "minutes", "Held for 1 minute", "Held for 2 minutes"],
    ["groups.memberCount", "count", "1 member", "2 members"],
    ["public.catalogue.results", "count", "1 event found", "2 events found"],
    ["registrations.waitlist.ahead", "count", "1 person is ahead of you.", "2 people are ahead of you."],
    ["account.sessions.signedOutOthers", "count", "1 other session signed out.", "2 other sessions signed out."],
  ] as const)("%s", (key, arg, one, two) => {
    expect(en(key, { [arg]: 1 })).toBe(one);
    expect(en(key, { [arg]: 2 })).toBe(two);
  });

  test("countdown in days and hours", () => {
    expect(en("registrations.claim.timeLeftDays", { days: 1, hours: 1 })).toBe("Time left: 1 day 1 hour");
    expect(en("registrations.claim.timeLeftDays", { days: 2, hours: 5 })).toBe("Time left: 2 days 5 hours");
  });
});
