// @vitest-environment jsdom
// The embeddable widget (widget/src) in a browser-like DOM with a fake API: its language rule, what it
// shows (ticket types, seats, sold out, event-page types, no guests), the server's field errors on the
// fields, the same Idempotency-Key when a lost answer is retried, the confirmation, and seats updated
// in place without losing what was typed. The real API and a real browser: tests/integration/widget-api
// and tests/e2e/widget.spec.ts.
import { afterEach, describe, expect, test, vi } from "vitest";
import { pickLang } from "@/widget/src/texts";
import { Widget, type WidgetEvent } from "@/widget/src/widget";

const API = "https://aq.example/";

function event(overrides: Partial<WidgetEvent> = {}): WidgetEvent {
  return {
    id: "e1",
    title: "Вечер настолок",
    status: "PUBLISHED",
    open: true,
    startsAt: "2030-05-01T16:00:00.000Z",
    endsAt: null,
    timezone: "Europe/Moscow",
    locationType: "OFFLINE",
    locationAddress: "Москва, Тверская, 1",
    organizationName: "Клуб",
    eventUrl: "https://aq.example/e/club/evening",
    guests: true,
    fields: [{ key: "company", label: "Компания", type: "text", required: true }],
    ticketTypes: [
      { id: "t1", name: "Стандарт", description: null, priceCents: 0, currency: "RUB", onSale: true, soldOut: false, available: 3, mode: "inPlace" },
      { id: "t2", name: "VIP", description: "Первый ряд", priceCents: 150000, currency: "RUB", onSale: true, soldOut: true, available: 0, mode: "inPlace" },
      { id: "t3", name: "Онлайн-оплата", description: null, priceCents: 50000, currency: "RUB", onSale: true, soldOut: false, available: null, mode: "eventPage" },
    ],
    ...overrides,
  };
}

type Call = { url: string; init?: RequestInit };
const calls: Call[] = [];

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

function fakeApi(handlers: ((call: Call) => Response | Promise<Response>)[]) {
  const queue = [...handlers];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      const call = { url, init };
      calls.push(call);
      const next = queue.shift();
      if (!next) throw new Error(`unexpected request ${url}`);
      return next(call);
    }),
  );
}

async function settle() {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

async function mount(ev: WidgetEvent, lang: "ru" | "en" = "ru"): Promise<ShadowRoot> {
  const host = document.createElement("div");
  document.body.append(host);
  new Widget(host, ev.id, API, lang);
  await settle();
  return host.shadowRoot!;
}

function labelOf(root: ShadowRoot, control: Element): string {
  return root.querySelector(`label[for="${control.id}"]`)?.textContent ?? "";
}

afterEach(() => {
  vi.unstubAllGlobals();
  calls.length = 0;
  document.body.innerHTML = "";
});

describe("the widget's language", () => {
  test("data-locale, else the page's <html lang>, else the browser's, else Russian", () => {
    expect(pickLang("en", "ru", ["ru-RU"])).toBe("en");
    expect(pickLang(undefined, "en-GB", ["ru-RU"])).toBe("en");
    expect(pickLang("", "de", ["de-DE", "en-US"])).toBe("en");
    expect(pickLang(undefined, null, ["fr"])).toBe("ru");
    expect(pickLang("RU", "en", [])).toBe("ru");
  });
});

describe("the widget", () => {
  test("shows the event, its types with price and seats; sold-out and event-page types cannot be picked", async () => {
    fakeApi([() => jsonResponse(200, { ok: true, event: event() })]);
    const root = await mount(event());
    expect(calls[0].url).toBe(`${API}api/widget/events/e1`);
    expect(calls[0].init?.credentials).toBe("omit");
    expect(root.querySelector("h2")?.textContent).toBe("Вечер настолок");
    const radios = Array.from(root.querySelectorAll<HTMLInputElement>("input[name=ticketTypeId]"));
    expect(radios.map((r) => [r.value, r.disabled, r.checked])).toEqual([
      ["t1", false, true], // the only type to pick: chosen already
      ["t2", true, false],
    ]);
    const text = root.textContent ?? "";
    expect(text).toContain("Осталось 3 места");
    expect(text).toContain("Мест нет");
    expect(text).toContain("Бесплатно");
    expect(text).toMatch(/1\s500,00\s₽/);
    expect(text).toContain("Регистрация на странице события");
    const link = root.querySelector<HTMLAnchorElement>(`a.b[href="https://aq.example/e/club/evening"]`);
    expect(link?.textContent).toContain("Зарегистрироваться на AqStream");
    // Every control has a label; the extra field is required.
    for (const control of Array.from(root.querySelectorAll("input:not([type=radio]),select"))) expect(labelOf(root, control)).not.toBe("");
    expect(root.querySelector<HTMLInputElement>("input[name='customFields.company']")?.required).toBe(true);
  });

  test("no guests: no form, a button to the event page; unknown event: says so", async () => {
    fakeApi([() => jsonResponse(200, { ok: true, event: event({ guests: false }) })]);
    const root = await mount(event({ guests: false }), "en");
    expect(root.querySelector("form")).toBeNull();
    expect(root.textContent).toContain("This event needs an AqStream account");
    expect(root.querySelector("a.b")?.getAttribute("href")).toBe("https://aq.example/e/club/evening");

    fakeApi([() => jsonResponse(404, { ok: false, code: "NOT_FOUND" })]);
    const missing = await mount(event({ id: "nope" }), "en");
    expect(missing.querySelector("[role=alert]")?.textContent).toBe("The event was not found or is not published yet.");
  });

  test("field errors of the server land on their fields, focused; a lost answer is retried with the same key; success shows the ticket", async () => {
    const ev = event();
    fakeApi([
      () => jsonResponse(200, { ok: true, event: ev }),
      () => jsonResponse(400, { ok: false, code: "VALIDATION", message: "Проверьте поля.", fieldErrors: { email: "Некорректный адрес.", "customFields.company": "Обязательное поле." } }),
      () => Promise.reject(new TypeError("Failed to fetch")),
      () => jsonResponse(201, { ok: true, registration: { registrationId: "r1", status: "CONFIRMED", confirmationCode: "AB12CD", expiresAt: null, ticketUrl: "https://aq.example/t/tok", replayed: false } }),
    ]);
    const root = await mount(ev);
    const form = root.querySelector("form")!;
    const input = (name: string) => root.querySelector<HTMLInputElement>(`[name='${name}']`)!;
    input("firstName").value = "Анна";
    input("email").value = "bad";
    form.requestSubmit();
    await settle();

    const post = calls[1];
    expect(post.url).toBe(`${API}api/widget/events/e1/registrations`);
    const headers = post.init!.headers as Record<string, string>;
    expect(headers["accept-language"]).toBe("ru");
    expect(JSON.parse(String(post.init!.body))).toEqual({ ticketTypeId: "t1", firstName: "Анна", lastName: null, email: "bad", customFields: {} });
    expect(input("email").getAttribute("aria-invalid")).toBe("true");
    const emailError = root.getElementById(input("email").getAttribute("aria-describedby")!.split(" ").at(-1)!)!;
    expect(emailError.textContent).toBe("Некорректный адрес.");
    expect(input("customFields.company").getAttribute("aria-invalid")).toBe("true");
    expect(root.activeElement).toBe(input("email"));
    expect(root.querySelector(".fe")?.textContent).toContain("Проверьте отмеченные поля.");

    input("email").value = "anna@example.com";
    input("customFields.company").value = "ООО Ромашка";
    form.requestSubmit();
    await settle();
    expect(root.querySelector(".fe")?.textContent).toContain("Нет соединения");
    expect(input("email").hasAttribute("aria-invalid")).toBe(false);
    form.requestSubmit(); // the same form again: the same submission
    await settle();
    const [first, retry] = [calls[2], calls[3]].map((c) => (c.init!.headers as Record<string, string>)["idempotency-key"]);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(retry).toBe(first);
    expect((calls[1].init!.headers as Record<string, string>)["idempotency-key"]).not.toBe(first); // another body, another key

    const done = root.querySelector(".ok")!;
    expect(done.getAttribute("role")).toBe("status");
    expect(root.activeElement).toBe(done);
    expect(done.textContent).toContain("Вы зарегистрированы!");
    expect(done.textContent).toContain("AB12CD");
    expect(done.textContent).toContain("anna@example.com");
    expect(done.querySelector("a")?.getAttribute("href")).toBe("https://aq.example/t/tok");
  });

  test("sold out at the sale: the server's message, seats read again and updated in place, typed values kept", async () => {
    const ev = event();
    const after = event({ ticketTypes: ev.ticketTypes.map((t) => (t.id === "t1" ? { ...t, soldOut: true, available: 0 } : t)) });
    fakeApi([
      () => jsonResponse(200, { ok: true, event: ev }),
      () => jsonResponse(409, { ok: false, code: "CONFLICT", message: "Места закончились.", fieldErrors: {} }),
      () => jsonResponse(200, { ok: true, event: after }),
    ]);
    const root = await mount(ev);
    const first = root.querySelector<HTMLInputElement>("[name=firstName]")!;
    first.value = "Анна";
    root.querySelector("form")!.requestSubmit();
    await settle();
    expect(root.querySelector(".fe")?.textContent).toBe("Места закончились.");
    expect(calls[2].init?.cache).toBe("no-store");
    const radio = root.querySelector<HTMLInputElement>("input[value=t1]")!;
    expect(radio.disabled).toBe(true);
    expect(radio.checked).toBe(false);
    expect(root.querySelector("[name=firstName]")).toBe(first);
    expect(first.value).toBe("Анна");
    expect(root.querySelector("[aria-live=polite]")?.textContent).toContain("Стандарт: Мест нет");
  });
});
