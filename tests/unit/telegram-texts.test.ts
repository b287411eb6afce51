// The bot's texts live in the catalogue (namespace `bot`) as ICU messages and are rendered by the one
// Telegram formatter: values escaped for Telegram HTML, optional parts as selects, counts as plurals.
import { describe, expect, test } from "vitest";
import { en, ru } from "@/lib/i18n/messages";
import { messageKeys } from "@/lib/i18n/translate";
import { checkTelegramHtml } from "@/lib/notifications/render";
import { escapeTelegramHtml, formatTelegramMessage, selectorOf } from "@/lib/telegram/format";
import { botText, localeFromLanguageCode, telegramText, type BotKey } from "@/lib/telegram/texts";

const NASTY = `<b>A & "B"</b>_*[x](y)`;
const HOSTILE = `<i>Z & "Q"</i>`;

describe("the Telegram formatter", () => {
  test("escapes exactly & < > \" in values, never the message's own markup", () => {
    expect(escapeTelegramHtml(NASTY)).toBe("&lt;b&gt;A &amp; &quot;B&quot;&lt;/b&gt;_*[x](y)");
    expect(escapeTelegramHtml(null)).toBe("");
    expect(formatTelegramMessage("<b>{name}</b>", "ru", { name: NASTY })).toBe("<b>&lt;b&gt;A &amp; &quot;B&quot;&lt;/b&gt;_*[x](y)</b>");
  });

  test("selects see empty / true / the value; the text of the same variable stays escaped", () => {
    const message = "{place, select, empty {—} other {📍 {place}}}{flag, select, true { ✓} other {}}";
    expect(formatTelegramMessage(message, "ru", { place: "A<B", flag: true })).toBe("📍 A&lt;B ✓");
    expect(formatTelegramMessage(message, "ru", { place: "", flag: false })).toBe("—");
    expect(formatTelegramMessage(message, "ru", {})).toBe("—");
    expect(selectorOf(null)).toBe("empty");
    expect(selectorOf(0)).toBe("0");
  });

  test("plural arguments are numbers (also from numeric text), a missing text value is empty", () => {
    const message = "{n, plural, one {# место} few {# места} many {# мест} other {# места}}{x}";
    expect([1, 2, 5, 21].map((n) => formatTelegramMessage(message, "ru", { n }))).toEqual(["1 место", "2 места", "5 мест", "21 место"]);
    expect(formatTelegramMessage(message, "ru", { n: "22" })).toBe("22 места");
  });
});

describe("bot texts", () => {
  test("every bot text renders as valid Telegram HTML in both languages, even with hostile values", () => {
    const keys = messageKeys(ru.bot) as BotKey[];
    expect(keys.length).toBeGreaterThanOrEqual(40);
    expect(messageKeys(en.bot)).toEqual(keys);
    const H = HOSTILE;
    const values = { appUrl: H, name: H, appHost: H, device: H, minutes: 5, created: true, organization: H, count: 3, shown: 5, url: H, title: H, date: H, location: H, ticketType: H, code: "ABCD1234", status: "RESERVED", reservedUntil: H };
    for (const locale of ["ru", "en"] as const) {
      for (const key of keys) {
        const text = botText(locale, key, values);
        expect(checkTelegramHtml(text), `${locale} ${key}`).toEqual([]);
        expect(text, `${locale} ${key}`).not.toContain("<i>Z");
      }
    }
  });

  test("optional parts and counts", () => {
    expect(botText("ru", "loginPrompt", { appHost: "aq.example", device: null, minutes: 5 })).toBe(
      "<b>Вход на сайт aq.example</b>\n\nПодтвердите вход, только если вы сами начали его на сайте. Кнопка действует 5 минут.",
    );
    expect(botText("ru", "loginPrompt", { appHost: "aq.example", device: "Chrome, Windows", minutes: 1 })).toContain("Устройство: Chrome, Windows\n\nПодтвердите");
    expect(botText("ru", "loginPrompt", { appHost: "x", device: null, minutes: 1 })).toMatch(/действует 1 минуту\.$/);
    expect(botText("en", "loginPrompt", { appHost: "x", device: null, minutes: 5 })).toMatch(/works for 5 minutes\.$/);
    expect(botText("ru", "loginConfirmed", { name: "Анна", created: true })).toMatch(/^Добро пожаловать, Анна! Аккаунт AqStream создан\.\n\nВход подтверждён/);
    expect(botText("ru", "loginConfirmed", { name: "Анна", created: false })).toMatch(/^Вход подтверждён/);
    expect(botText("ru", "ticketsHeader", { count: 1 })).toBe("Ваш ближайший билет:");
    expect(botText("ru", "ticketsHeader", { count: 3 })).toBe("Ваши ближайшие билеты (3):");
    expect(botText("ru", "ticketsMore", { shown: 5, url: "u" })).toBe("Показаны первые 5 билетов. Все билеты — в кабинете: u");
    expect(botText("en", "inviteAccepted", { organization: "Club", created: false, appUrl: "u" })).toBe("Done: you are now a moderator of “Club”.");
  });

  test("the ticket caption: status words, the hold only while reserved, no empty location line", () => {
    const base = { title: "Митап", date: "пн, 15 марта", ticketType: "Стандарт", code: "ABCD1234" };
    expect(botText("ru", "ticketCaption", { ...base, location: "", status: "CONFIRMED", reservedUntil: "x" })).toBe(
      "<b>Митап</b>\n🗓 пн, 15 марта\n🎟 Стандарт\nКод: <code>ABCD1234</code>\nСтатус: подтверждён",
    );
    expect(botText("ru", "ticketCaption", { ...base, location: "Москва", status: "RESERVED", reservedUntil: "16 марта" })).toBe(
      "<b>Митап</b>\n🗓 пн, 15 марта\n📍 Москва\n🎟 Стандарт\nКод: <code>ABCD1234</code>\nСтатус: забронирован, ожидает оплаты до 16 марта",
    );
    expect(botText("en", "ticketCaption", { ...base, location: null, status: "CHECKED_IN", reservedUntil: null })).toMatch(/Status: used \(checked in\)$/);
  });

  test("other catalogue texts sent to Telegram go through the same formatter", () => {
    expect(telegramText("ru", "checkIn.server.telegram.staffIntro", { event: "A & B", label: "<вход>" })).toContain("<b>A &amp; B</b> (&lt;вход&gt;)");
    expect(telegramText("en", "no.such.key")).toBe("no.such.key");
  });

  test("language of a Telegram user", () => {
    expect(localeFromLanguageCode("uk")).toBe("ru");
    expect(localeFromLanguageCode("en-GB")).toBe("en");
    expect(localeFromLanguageCode(null)).toBe("ru");
  });
});
