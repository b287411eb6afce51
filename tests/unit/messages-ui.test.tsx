// @vitest-environment jsdom
// The organizer messages UI, pure and in a browser-like DOM: the progress math and when the list polls,
// the Telegram preview rebuilt from an allow-list (hostile markup stays inert), and the mute page's card
// (nothing happens until the button; a bad token says so; undo) with the server actions replaced.
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";

const calls = vi.hoisted(() => ({ mute: [] as string[], unmute: [] as string[], answer: null as unknown }));

vi.mock("@/lib/messages/actions", () => ({
  muteByTokenAction: async ({ token }: { token: string }) => {
    calls.mute.push(token);
    return calls.answer;
  },
  unmuteByTokenAction: async ({ token }: { token: string }) => {
    calls.unmute.push(token);
    return calls.answer;
  },
}));
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {}, push: () => {} }) }));

import { MutePanel } from "@/components/messages/mute-panel";
import { messageProgress, needsPolling, newestFirst, reachable } from "@/components/messages/progress";
import { safeHref, telegramHtmlToReact } from "@/components/messages/telegram-html";
import { pick } from "@/lib/i18n/catalogue";
import { I18nProvider } from "@/lib/i18n/client";
import { en } from "@/lib/i18n/messages";
import type { MessageResults } from "@/lib/messages/types";

const results = (over: Partial<MessageResults> = {}): MessageResults => ({
  telegram: { pending: 0, sent: 0, failed: 0 },
  email: { pending: 0, sent: 0, failed: 0 },
  noChannel: 0,
  unknown: 0,
  failures: [],
  ...over,
});

describe("progress", () => {
  test("done counts every row with an outcome, pending the rest", () => {
    const p = messageProgress(results({ telegram: { pending: 3, sent: 5, failed: 1 }, email: { pending: 2, sent: 4, failed: 0 }, noChannel: 2 }));
    expect(p).toEqual({ total: 17, done: 12, pending: 5 });
  });

  test("polls while a message is sending or a scheduled one is due, not otherwise", () => {
    const now = Date.parse("2027-01-01T12:00:00Z");
    expect(needsPolling([{ status: "SENT", scheduledAt: "2027-01-01T11:00:00Z" }], now)).toBe(false);
    expect(needsPolling([{ status: "SCHEDULED", scheduledAt: "2027-01-01T13:00:00Z" }], now)).toBe(false);
    expect(needsPolling([{ status: "CANCELLED", scheduledAt: "2027-01-01T11:00:00Z" }], now)).toBe(false);
    expect(needsPolling([{ status: "SCHEDULED", scheduledAt: "2027-01-01T11:59:59Z" }], now)).toBe(true);
    expect(needsPolling([{ status: "SENT", scheduledAt: "2027-01-01T11:00:00Z" }, { status: "SENDING", scheduledAt: "2027-01-01T11:00:00Z" }], now)).toBe(true);
    expect(needsPolling([], now)).toBe(false);
  });

  test("the confirm dialog counts people who have a channel", () => {
    expect(reachable({ recipients: 124, telegram: 80, email: 40, noChannel: 4, muted: 3 })).toBe(120);
    expect(reachable({ recipients: 0, telegram: 0, email: 0, noChannel: 0, muted: 2 })).toBe(0);
  });

  test("newest first", () => {
    const list = [
      { id: "a", createdAt: "2027-01-01T10:00:00Z" },
      { id: "b", createdAt: "2027-01-02T10:00:00Z" },
    ];
    expect(newestFirst(list).map((m) => m.id)).toEqual(["b", "a"]);
  });
});

describe("Telegram preview", () => {
  const html = (input: string) => renderToStaticMarkup(<>{telegramHtmlToReact(input)}</>);

  test("keeps Telegram's tags and links", () => {
    expect(html('<b>Зал</b> <i>сменился</i>: <a href="https://example.com/room">карта</a>')).toBe(
      '<strong>Зал</strong> <em>сменился</em>: <a href="https://example.com/room" target="_blank" rel="noopener noreferrer nofollow" class="text-sky-700 underline underline-offset-2 break-all">карта</a>',
    );
  });

  test("hostile markup stays inert: no script, no handlers, no javascript: links", () => {
    const out = html('<script>alert(1)</script><img src=x onerror="alert(2)"><b onclick="alert(3)">x</b><a href="javascript:alert(4)">y</a><iframe src="https://evil"></iframe>');
    expect(out).not.toMatch(/<script|<img|onerror|onclick|javascript:|<iframe/i);
    expect(out).toContain("<strong>x</strong>");
    expect(out).toContain("y");
  });

  test("escaped text stays text", () => {
    expect(html("&lt;script&gt;alert(1)&lt;/script&gt;")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  test("safeHref allows http(s), mailto and tg only", () => {
    expect(safeHref("https://a.example/x")).toBe("https://a.example/x");
    expect(safeHref("mailto:a@example.com")).toBe("mailto:a@example.com");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("data:text/html,hi")).toBeNull();
    expect(safeHref("/relative")).toBeNull();
    expect(safeHref(null)).toBeNull();
  });
});

describe("MutePanel", () => {
  const TOKEN = "tok_0123456789abcdef";

  beforeEach(() => {
    calls.mute = [];
    calls.unmute = [];
    calls.answer = null;
  });
  afterEach(() => cleanup());

  function show() {
    render(
      <I18nProvider locale="en" messages={pick("en", ["messages.mute", "errors"])}>
        <MutePanel token={TOKEN} />
      </I18nProvider>,
    );
  }

  test("opening the page changes nothing; the button mutes, then undo unmutes", async () => {
    show();
    expect(calls.mute).toEqual([]);
    expect(screen.getByTestId("mute-heading").textContent).toBe(en.messages.mute.questionUnknown);

    calls.answer = { ok: true, organizationName: "Клуб <b>", muted: true };
    await act(async () => {
      fireEvent.click(screen.getByTestId("mute-confirm"));
    });
    expect(calls.mute).toEqual([TOKEN]);
    expect(screen.getByTestId("mute-panel").getAttribute("data-phase")).toBe("muted");
    expect(screen.getByTestId("mute-heading").textContent).toBe("Muted: no more messages from “Клуб <b>”.");

    calls.answer = { ok: true, organizationName: "Клуб <b>", muted: false };
    await act(async () => {
      fireEvent.click(screen.getByTestId("mute-undo"));
    });
    expect(calls.unmute).toEqual([TOKEN]);
    expect(screen.getByTestId("mute-panel").getAttribute("data-phase")).toBe("unmuted");
    expect(screen.getByTestId("mute-again")).toBeTruthy();
  });

  test("a token the service refuses says the link does not work", async () => {
    show();
    calls.answer = { ok: false, code: "NOT_FOUND", message: "errors.notFound" };
    await act(async () => {
      fireEvent.click(screen.getByTestId("mute-confirm"));
    });
    expect(screen.getByTestId("mute-panel").getAttribute("data-phase")).toBe("invalid");
    expect(screen.getByTestId("mute-heading").textContent).toBe(en.messages.mute.notFoundTitle);
    expect(screen.queryByTestId("mute-confirm")).toBeNull();
  });

  test("a rate limit is shown, and the question stays", async () => {
    show();
    calls.answer = { ok: false, code: "RATE_LIMITED", message: "errors.rateLimited" };
    await act(async () => {
      fireEvent.click(screen.getByTestId("mute-confirm"));
    });
    expect(screen.getByTestId("mute-panel").getAttribute("data-phase")).toBe("ask");
    expect(screen.getByRole("alert").textContent).toBe(en.errors.rateLimited);
  });
});
