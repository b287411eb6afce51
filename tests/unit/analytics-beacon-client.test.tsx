// @vitest-environment jsdom
// The public pages' beacon component (components/public/analytics-beacon.tsx) in a browser-like DOM:
// exactly what it sends (event, step, the referrer cut to scheme + host, only the page's utm_*), once per
// view even under React's development double mount, FORM_OPEN once per event, nothing under Do Not Track
// or Global Privacy Control, and a prerendered page counted only when it is shown.
import { cleanup, render } from "@testing-library/react";
import { StrictMode } from "react";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { AnalyticsBeacon } from "@/components/public/analytics-beacon";
import { BEACON_PATH } from "@/lib/analytics/paths";

const sendBeacon = vi.fn((_url: string, _body?: BodyInit | null) => true);

function setProperty(target: object, name: string, value: unknown) {
  Object.defineProperty(target, name, { value, configurable: true });
}

const sent = () => sendBeacon.mock.calls.map(([url, body]) => ({ url, body: JSON.parse(String(body)) }));

let eventNo = 0;
const newEventId = () => `6f1c2b9e-3d4a-4b5c-8d6e-${String(++eventNo).padStart(12, "0")}`;

beforeEach(() => {
  sendBeacon.mockClear();
  setProperty(navigator, "sendBeacon", sendBeacon);
  setProperty(navigator, "doNotTrack", null);
  setProperty(navigator, "globalPrivacyControl", undefined);
  setProperty(document, "referrer", "https://www.google.com/search?q=my+private+query");
  setProperty(document, "prerendering", false);
  window.history.replaceState({}, "", "/e/org/event?utm_source=Telegram&ref=abc&email=a%40b.test&utm_campaign=Spring");
});

afterEach(() => cleanup());

describe("<AnalyticsBeacon>", () => {
  test("one VIEW after mount with the event, the referrer's origin and the utm_* only — even under StrictMode's double mount", () => {
    const eventId = newEventId();
    const { container } = render(
      <StrictMode>
        <AnalyticsBeacon eventId={eventId} />
      </StrictMode>,
    );
    expect(container.innerHTML).toBe("");
    expect(sent()).toEqual([
      { url: BEACON_PATH, body: { e: eventId, s: "VIEW", r: "https://www.google.com", u: "?utm_source=Telegram&utm_campaign=Spring" } },
    ]);
  });

  test("a direct visit without utm sends only the event and the step; a new page view (remount) sends again", () => {
    setProperty(document, "referrer", "");
    window.history.replaceState({}, "", "/e/org/event");
    const eventId = newEventId();
    render(<AnalyticsBeacon eventId={eventId} />);
    cleanup();
    render(<AnalyticsBeacon eventId={eventId} />);
    expect(sent().map((s) => s.body)).toEqual([
      { e: eventId, s: "VIEW" },
      { e: eventId, s: "VIEW" },
    ]);
  });

  test("FORM_OPEN is sent once per event and page load, however often the form is shown", () => {
    const [a, b] = [newEventId(), newEventId()];
    render(<AnalyticsBeacon eventId={a} step="FORM_OPEN" />);
    cleanup();
    render(<AnalyticsBeacon eventId={a} step="FORM_OPEN" />);
    render(<AnalyticsBeacon eventId={b} step="FORM_OPEN" />);
    expect(sent().map((s) => [s.body.e, s.body.s])).toEqual([
      [a, "FORM_OPEN"],
      [b, "FORM_OPEN"],
    ]);
  });

  test("nothing under Do Not Track or Global Privacy Control, nor without sendBeacon", () => {
    setProperty(navigator, "doNotTrack", "1");
    render(<AnalyticsBeacon eventId={newEventId()} />);
    setProperty(navigator, "doNotTrack", null);
    setProperty(navigator, "globalPrivacyControl", true);
    render(<AnalyticsBeacon eventId={newEventId()} step="FORM_OPEN" />);
    expect(sendBeacon).not.toHaveBeenCalled();
    setProperty(navigator, "globalPrivacyControl", false);
    setProperty(navigator, "sendBeacon", undefined);
    expect(() => render(<AnalyticsBeacon eventId={newEventId()} />)).not.toThrow();
  });

  test("the Telegram app's referrer keeps its package name; long utm values are cut to 100 characters", () => {
    setProperty(document, "referrer", "android-app://org.telegram.messenger/");
    window.history.replaceState({}, "", `/e/org/event?utm_medium=${"m".repeat(500)}`);
    render(<AnalyticsBeacon eventId={newEventId()} />);
    const [{ body }] = sent();
    expect(body.r).toBe("android-app://org.telegram.messenger");
    expect(body.u).toBe(`?utm_medium=${"m".repeat(100)}`);
  });

  test("a prerendered page counts only once the visitor actually opens it", () => {
    setProperty(document, "prerendering", true);
    const eventId = newEventId();
    render(<AnalyticsBeacon eventId={eventId} />);
    expect(sendBeacon).not.toHaveBeenCalled();
    setProperty(document, "prerendering", false);
    document.dispatchEvent(new Event("prerenderingchange"));
    document.dispatchEvent(new Event("prerenderingchange"));
    expect(sent().map((s) => s.body.s)).toEqual(["VIEW"]);
  });
});
