// @vitest-environment jsdom
// The demo checkout's card form in a browser-like DOM, with the server action replaced by a recorder:
// a decline stays on the page with the message, an unknown card is reported on the field, a success
// sends the buyer to the return URL, a delayed success shows "processing" and keeps refreshing.
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";

const calls = vi.hoisted(() => ({
  action: [] as Array<{ id: string; card: string }>,
  answer: null as unknown,
  replace: [] as string[],
  refresh: 0,
}));

vi.mock("@/lib/payments/actions/demo", () => ({
  payDemoCheckoutAction: async (input: { id: string; card: string }) => {
    calls.action.push(input);
    return calls.answer;
  },
}));
vi.mock("next/navigation", () => ({
  useRouter: () => ({ replace: (url: string) => calls.replace.push(url), refresh: () => (calls.refresh += 1), push: () => {} }),
}));

import { DemoCheckoutForm } from "@/components/payments/demo-checkout-form";
import { I18nProvider } from "@/lib/i18n/client";
import { pick } from "@/lib/i18n/catalogue";

const ID = "0b7c1a52-5a43-4a8e-9c1e-2f7f3d8b9a10";
let assign: ReturnType<typeof vi.fn>;

beforeEach(() => {
  calls.action = [];
  calls.replace = [];
  calls.refresh = 0;
  assign = vi.fn();
  Object.defineProperty(window, "location", { value: { ...window.location, assign }, writable: true, configurable: true });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function show(props: Partial<{ processing: boolean; declined: boolean }> = {}) {
  render(
    <I18nProvider locale="en" messages={pick("en", ["paymentsDemo", "errors"])}>
      <DemoCheckoutForm id={ID} amountLabel="$25" processing={props.processing ?? false} declined={props.declined ?? false} />
    </I18nProvider>,
  );
}

async function pay(card: string) {
  fireEvent.change(screen.getByTestId("demo-card"), { target: { value: card } });
  await act(async () => {
    fireEvent.submit(screen.getByTestId("demo-pay").closest("form")!);
  });
}

describe("DemoCheckoutForm", () => {
  test("labelled card field and a Pay button with the amount", () => {
    show();
    expect(screen.getByLabelText(/Card number/)).toBe(screen.getByTestId("demo-card"));
    expect(screen.getByTestId("demo-pay").textContent).toContain("Pay $25");
  });

  test("a decline stays on the page with the message", async () => {
    show();
    calls.answer = { ok: true, outcome: "declined", returnUrl: null };
    await pay("4000 0000 0000 0002");
    expect(calls.action).toEqual([{ id: ID, card: "4000 0000 0000 0002" }]);
    expect(screen.getByTestId("demo-error").textContent).toBe("Your card was declined. Try another test card.");
    expect(assign).not.toHaveBeenCalled();
  });

  test("an unknown card is reported on the field", async () => {
    show();
    calls.answer = { ok: false, code: "VALIDATION", message: "paymentsDemo.errors.unknownCard", fieldErrors: { card: "paymentsDemo.errors.unknownCard" } };
    await pay("1234");
    expect(screen.getByTestId("demo-card").getAttribute("aria-invalid")).toBe("true");
    expect(document.body.textContent).toContain("This is not a test card.");
  });

  test("success sends the buyer to the return URL", async () => {
    show();
    calls.answer = { ok: true, outcome: "paid", returnUrl: "https://aqstream.example/t/return" };
    await pay("4242 4242 4242 4242");
    expect(assign).toHaveBeenCalledWith("https://aqstream.example/t/return");
  });

  test("a delayed success shows processing, marks the URL and refreshes every second", async () => {
    vi.useFakeTimers();
    show();
    calls.answer = { ok: true, outcome: "processing", returnUrl: null };
    await pay("4000 0000 0000 0259");
    expect(screen.getByTestId("demo-processing").textContent).toContain("Processing the payment");
    expect(calls.replace).toEqual([`/pay/demo/${ID}?processing=1`]);
    await act(async () => {
      vi.advanceTimersByTime(3100);
    });
    expect(calls.refresh).toBe(3);
  });

  test("a checkout declined before (server state) shows the message at once", () => {
    show({ declined: true });
    expect(screen.getByTestId("demo-error").textContent).toBe("Your card was declined. Try another test card.");
  });
});
