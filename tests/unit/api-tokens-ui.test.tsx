// @vitest-environment jsdom
// The API token UI in a browser-like DOM with the server actions replaced: the create form (field
// errors from zod and from the server land on the fields; a personal token has no scopes to choose), the
// token shown once with its curl example, the list's states and last use.
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";

const calls = vi.hoisted(() => ({ org: [] as unknown[][], personal: [] as unknown[], answer: null as unknown }));

vi.mock("@/lib/api/actions", () => ({
  createOrganizationTokenAction: async (...args: unknown[]) => {
    calls.org.push(args);
    return calls.answer;
  },
  createPersonalTokenAction: async (input: unknown) => {
    calls.personal.push(input);
    return calls.answer;
  },
  revokeApiTokenAction: async () => ({ ok: true }),
}));
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {}, push: () => {} }), usePathname: () => "/" }));

import { TokenForm } from "@/components/api-tokens/token-form";
import { TokenList, type TokenRow } from "@/components/api-tokens/token-list";
import { pick } from "@/lib/i18n/catalogue";
import { I18nProvider } from "@/lib/i18n/client";

const TOKEN = "aq_org_0123456789abcdefghijABCDEFGHIJ01";

function withTexts(node: React.ReactNode) {
  return <I18nProvider locale="en" messages={pick("en", ["apiTokens", "members.share", "errors"])}>{node}</I18nProvider>;
}

beforeEach(() => {
  calls.org = [];
  calls.personal = [];
  calls.answer = { ok: true, token: TOKEN, id: "t1", name: "CRM" };
});
afterEach(cleanup);

async function submit() {
  await act(async () => {
    fireEvent.click(screen.getByTestId("api-token-submit"));
  });
}

describe("the create form", () => {
  test("empty: name and scopes get their messages, nothing is sent", async () => {
    render(withTexts(<TokenForm kind="organization" organizationId="org-1" curlUrl="https://x.test/api/v1/organization" />));
    await submit();
    expect(await screen.findByText("Enter a name for the token.")).toBeTruthy();
    expect(screen.getByText("Tick at least one scope.")).toBeTruthy();
    expect(calls.org).toHaveLength(0);
  });

  test("valid: the action gets the organization, the name, the scopes and the expiry; the token is shown once with curl", async () => {
    render(withTexts(<TokenForm kind="organization" organizationId="org-1" curlUrl="https://x.test/api/v1/organization" />));
    fireEvent.input(screen.getByTestId("api-token-name"), { target: { value: "CRM" } });
    fireEvent.click(screen.getByTestId("api-token-scope-registrations:read"));
    fireEvent.click(screen.getByTestId("api-token-scope-events:read"));
    fireEvent.click(screen.getByTestId("api-token-expiry-never"));
    await submit();
    expect(calls.org).toEqual([["org-1", { name: "CRM", scopes: ["events:read", "registrations:read"], expiry: "never" }]]);
    expect((await screen.findByTestId("api-token-value")).textContent).toBe(TOKEN);
    expect(screen.getByTestId("api-token-curl").textContent).toBe(`curl -H "Authorization: Bearer ${TOKEN}" https://x.test/api/v1/organization`);
    // "done" hides it for good: the form is back, the token is gone from the page
    fireEvent.click(screen.getByTestId("api-token-done"));
    expect(screen.queryByTestId("api-token-value")).toBeNull();
    expect(document.body.textContent).not.toContain(TOKEN);
  });

  test("the server's field errors land on the fields", async () => {
    calls.answer = { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: { name: "apiTokens.validation.nameTooLong" } };
    render(withTexts(<TokenForm kind="organization" organizationId="org-1" curlUrl="u" />));
    fireEvent.input(screen.getByTestId("api-token-name"), { target: { value: "CRM" } });
    fireEvent.click(screen.getByTestId("api-token-scope-checkin"));
    await submit();
    expect(await screen.findByText("At most 100 characters.")).toBeTruthy();
    expect(screen.getByTestId("api-token-name").getAttribute("aria-invalid")).toBe("true");
  });

  test("a personal token: no scopes to choose; name and expiry are sent", async () => {
    calls.answer = { ok: true, token: "aq_pat_0123456789abcdefghijABCDEFGHIJ01", id: "t2", name: "Bot" };
    render(withTexts(<TokenForm kind="personal" curlUrl="https://x.test/api/v1/me/tickets" />));
    expect(screen.queryByTestId("api-token-scope-events:read")).toBeNull();
    fireEvent.input(screen.getByTestId("api-token-name"), { target: { value: "Bot" } });
    await submit();
    expect(calls.personal).toEqual([{ name: "Bot", expiry: "90" }]);
    expect((await screen.findByTestId("api-token-curl")).textContent).toContain("/api/v1/me/tickets");
  });
});

describe("the list", () => {
  const row = (over: Partial<TokenRow>): TokenRow => ({
    id: "t1",
    name: "CRM",
    prefix: "aq_org_AbCd1",
    scopes: ["events:read"],
    state: "active",
    createdText: "1 Mar 2027, 10:00",
    lastUsedText: null,
    lastUsedIp: null,
    expiresText: null,
    revokedText: null,
    ...over,
  });

  test("states, last use with the address, revoke only for an active token of a manager", () => {
    render(
      withTexts(
        <TokenList
          manageable
          rows={[row({}), row({ id: "t2", name: "Old", state: "revoked", revokedText: "2 Mar 2027, 11:00", lastUsedText: "2 Mar 2027, 10:59", lastUsedIp: "203.0.113.5" })]}
        />,
      ),
    );
    const items = screen.getAllByTestId("api-token-item");
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain("Not used yet");
    expect(items[0].textContent).toContain("aq_org_AbCd1…");
    expect(items[1].textContent).toContain("2 Mar 2027, 10:59, from 203.0.113.5");
    expect(items[1].textContent).toContain("Revoked");
    expect(screen.getAllByTestId("api-token-revoke")).toHaveLength(1);
  });

  test("empty, and read-only without revoke", () => {
    const { unmount } = render(withTexts(<TokenList manageable rows={[]} />));
    expect(screen.getByTestId("api-token-empty").textContent).toBe("No tokens yet.");
    unmount();
    render(withTexts(<TokenList manageable={false} rows={[row({})]} />));
    expect(screen.queryByTestId("api-token-revoke")).toBeNull();
  });
});
