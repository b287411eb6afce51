// @vitest-environment jsdom
// The organizer's composer in a browser-like DOM, with the server actions replaced by recorders: the
// live counts for the chosen audience, nothing sent with empty fields, the confirm step counting the
// people who have a channel, and the server's field errors shown on the same fields.
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";

const calls = vi.hoisted(() => ({
  counts: [] as Array<{ audience: string; ticketTypeId: string | null | undefined }>,
  create: [] as Array<Record<string, unknown>>,
  createAnswer: null as unknown,
  pushed: [] as string[],
}));

vi.mock("@/lib/messages/actions", () => ({
  countAudienceAction: async (input: { audience: string; ticketTypeId?: string | null }) => {
    calls.counts.push({ audience: input.audience, ticketTypeId: input.ticketTypeId });
    return input.audience === "WAITLIST"
      ? { ok: true, counts: { recipients: 0, telegram: 0, email: 0, noChannel: 0, muted: 0 } }
      : { ok: true, counts: { recipients: 124, telegram: 80, email: 40, noChannel: 4, muted: 3 } };
  },
  previewEventMessageAction: async () => ({ ok: true, previews: [] }),
  createEventMessageAction: async (input: Record<string, unknown>) => {
    calls.create.push(input);
    return calls.createAnswer;
  },
}));
vi.mock("next/navigation", () => ({ useRouter: () => ({ push: (url: string) => calls.pushed.push(url), refresh: () => {} }) }));

import { MessageComposer } from "@/components/messages/message-composer";
import { pick } from "@/lib/i18n/catalogue";
import { I18nProvider } from "@/lib/i18n/client";
import { en } from "@/lib/i18n/messages";

const EVENT = "0b7c1a52-5a43-4a8e-9c1e-2f7f3d8b9a10";

beforeAll(() => {
  // jsdom has no modal dialogs.
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.removeAttribute("open");
    this.dispatchEvent(new Event("close"));
  };
});

beforeEach(() => {
  calls.counts = [];
  calls.create = [];
  calls.createAnswer = null;
  calls.pushed = [];
});
afterEach(() => cleanup());

function show() {
  render(
    <I18nProvider locale="en" messages={pick("en", ["messages.ui", "messages.validation", "messages.errors", "errors", "validation"])}>
      <MessageComposer eventId={EVENT} timeZone="Europe/Moscow" ticketTypes={[{ id: "11111111-1111-4111-8111-111111111111", name: "VIP" }]} listHref="/list" />
    </I18nProvider>,
  );
}

async function fillText() {
  fireEvent.change(screen.getByLabelText(en.messages.ui.subject), { target: { value: "Room changed" } });
  fireEvent.change(screen.getByLabelText(en.messages.ui.body), { target: { value: "Room **3**" } });
}

describe("MessageComposer", () => {
  test("live counts for the chosen audience, by channel, with no-channel and muted", async () => {
    show();
    const counts = screen.getByTestId("audience-counts");
    await waitFor(() => expect(counts.getAttribute("data-recipients")).toBe("124"));
    expect(counts.textContent).toContain("124 people: 80 by Telegram, 40 by email");
    expect(counts.textContent).toContain("4 have no channel (they won't get it)");
    expect(counts.textContent).toContain("3 muted your messages");

    fireEvent.click(screen.getByTestId("audience-WAITLIST"));
    await waitFor(() => expect(counts.textContent).toBe(en.messages.ui.counts.none));
    expect(calls.counts.map((c) => c.audience)).toEqual(["ALL_CONFIRMED", "WAITLIST"]);
  });

  test("one ticket type: no count until a type is chosen, then that type's", async () => {
    show();
    await waitFor(() => expect(calls.counts).toHaveLength(1));
    fireEvent.click(screen.getByTestId("audience-TICKET_TYPE"));
    await new Promise((r) => setTimeout(r, 600));
    expect(calls.counts).toHaveLength(1);
    fireEvent.change(screen.getByTestId("message-ticket-type"), { target: { value: "11111111-1111-4111-8111-111111111111" } });
    await waitFor(() => expect(calls.counts.at(-1)).toEqual({ audience: "TICKET_TYPE", ticketTypeId: "11111111-1111-4111-8111-111111111111" }));
  });

  test("empty fields: errors on the fields, nothing sent", async () => {
    show();
    await act(async () => {
      fireEvent.click(screen.getByTestId("message-send"));
    });
    expect(screen.getByLabelText(en.messages.ui.subject).getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText(en.messages.validation.subjectRequired)).toBeTruthy();
    expect(screen.getByText(en.messages.validation.bodyRequired)).toBeTruthy();
    expect(screen.getByTestId("message-confirm").hasAttribute("open")).toBe(false);
    expect(calls.create).toEqual([]);
  });

  test("send: the confirm step counts people with a channel; success goes back to the list", async () => {
    show();
    await waitFor(() => expect(screen.getByTestId("audience-counts").getAttribute("data-recipients")).toBe("124"));
    await fillText();
    await act(async () => {
      fireEvent.click(screen.getByTestId("message-send"));
    });
    const dialog = screen.getByTestId("message-confirm");
    await waitFor(() => expect(dialog.hasAttribute("open")).toBe(true));
    expect(dialog.querySelector("h2")!.textContent).toBe("Send to 120 people now?");

    calls.createAnswer = { ok: true, id: "m1", scheduledAt: new Date().toISOString() };
    await act(async () => {
      fireEvent.click(screen.getByTestId("message-send-confirm"));
    });
    expect(calls.create).toEqual([{ eventId: EVENT, subject: "Room changed", body: "Room **3**", audience: "ALL_CONFIRMED", ticketTypeId: "", scheduledAt: "" }]);
    expect(calls.pushed).toEqual(["/list"]);
  });

  test("the server's field errors land on the same fields", async () => {
    show();
    await fillText();
    await act(async () => {
      fireEvent.click(screen.getByTestId("message-send"));
    });
    calls.createAnswer = { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: { subject: "messages.validation.subjectTooLong" } };
    await act(async () => {
      fireEvent.click(screen.getByTestId("message-send-confirm"));
    });
    expect(screen.getByTestId("message-confirm").hasAttribute("open")).toBe(false);
    expect(screen.getByLabelText(en.messages.ui.subject).getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText(en.messages.validation.subjectTooLong)).toBeTruthy();
    expect(calls.pushed).toEqual([]);
  });

  test("later without a time: an error on the time field", async () => {
    show();
    await fillText();
    fireEvent.click(screen.getByTestId("when-later"));
    await act(async () => {
      fireEvent.click(screen.getByTestId("message-send"));
    });
    expect(screen.getByTestId("message-scheduled-at").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText(en.messages.validation.timeInvalid)).toBeTruthy();
    expect(calls.create).toEqual([]);
  });
});
