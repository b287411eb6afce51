// @vitest-environment jsdom
// The live island of the cached event page formats the seats left with the Russian plural forms the
// server compiled for it: 1 место, 2 места, 5 мест (and 21 место), in English 1 seat / 2 seats.
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, test, vi } from "vitest";

// The island joins the waitlist through the register page's server actions: not called here.
vi.mock("@/lib/registrations/actions/register", () => ({ joinWaitlistAction: vi.fn(), leaveWaitlistAction: vi.fn() }));
import { LiveTickets, type LiveLabels, type LiveViewer } from "@/components/public/live-tickets";
import { liveTicketsLabels } from "@/components/public/live-labels";
import { translatorFor } from "@/lib/i18n/catalogue";
import type { Locale } from "@/lib/i18n/config";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The labels exactly as the event page builds them (components/public/live-labels.ts). */
function labels(locale: Locale): LiveLabels {
  return liveTicketsLabels(locale, translatorFor(locale));
}

async function seatsShown(locale: Locale, counts: number[], viewer: LiveViewer | null = null): Promise<string[]> {
  const tickets = counts.map((_, i) => ({ id: `t${i}`, name: `Тип ${i}`, description: null, price: "0" }));
  vi.stubGlobal(
    "fetch",
    vi.fn(async () =>
      Response.json({
        open: true,
        ticketTypes: counts.map((available, i) => ({ id: `t${i}`, onSale: true, soldOut: false, available })),
        participants: [{ ticketTypeId: "t0", names: ["Анна"], total: 22 }],
      }),
    ),
  );
  render(<LiveTickets eventId="e1" tickets={tickets} registerPath="/e/o/e/register" initiallyOpen showParticipants labels={labels(locale)} locale={locale} viewer={viewer} signInHref="/login" />);
  await waitFor(() => expect(screen.getAllByTestId("ticket-availability")[0].textContent).not.toBe(labels(locale).checking));
  return screen.getAllByTestId("ticket-availability").map((el) => el.textContent ?? "");
}

describe("LiveTickets", () => {
  test("Russian: 1 место, 2 места, 5 мест, 21 место", async () => {
    expect(await seatsShown("ru", [1, 2, 5, 21])).toEqual(["Осталось 1 место", "Осталось 2 места", "Осталось 5 мест", "Осталось 21 место"]);
    expect(screen.getByTestId("participants").textContent).toContain("и ещё 21 участник");
    expect(screen.getAllByTestId("register-link")[0].getAttribute("aria-label")).toBe("Зарегистрироваться: Тип 0");
  });

  test("the viewer's waitlist place: 21 человек ahead, the position and the ticket type", async () => {
    await seatsShown("ru", [0], { waitlist: { ticketTypeId: "t0", position: 22, ahead: 21, offer: null } });
    const text = document.body.textContent ?? "";
    expect(text).toContain("Перед вами 21 человек.");
    expect(text).toContain(translatorFor("ru")("registrations.waitlist.position", { position: 22 }));
    expect(text).toContain(translatorFor("ru")("registrations.waitlist.forType", { type: "Тип 0" }));
  });

  test("English: 1 seat left, 2 seats left", async () => {
    expect(await seatsShown("en", [1, 2])).toEqual(["1 seat left", "2 seats left"]);
  });
});
