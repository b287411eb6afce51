// API token scopes (docs/api.md → "Tokens and scopes"). Pure module: the token form, the edge, the
// permission layer, the OpenAPI document and the tests read this one list.
//
// An ORGANIZATION token (created by the organization's OWNER) acts for that organization only, with the
// permissions its scopes grant (SCOPE_PERMISSIONS) AND its creator's role: a token never does more than
// the owner who made it, and stops working when that person is no longer a member.
// A PERSONAL token (created by any signed-in user for themselves) reads that user's own tickets only;
// it never passes an organization permission check.

export const ORGANIZATION_SCOPES = ["events:read", "events:write", "registrations:read", "registrations:write", "checkin"] as const;
export const PERSONAL_SCOPES = ["tickets:read"] as const;
export const API_SCOPES = [...ORGANIZATION_SCOPES, ...PERSONAL_SCOPES] as const;

export type OrganizationScope = (typeof ORGANIZATION_SCOPES)[number];
export type PersonalScope = (typeof PERSONAL_SCOPES)[number];
export type ApiScope = (typeof API_SCOPES)[number];

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === "string" && (API_SCOPES as readonly string[]).includes(value);
}

/** The organization permissions (lib/permissions) each scope grants. A permission no scope lists is never reachable with a token. */
export const SCOPE_PERMISSIONS = {
  "events:read": ["organization.view", "events.view", "groups.view"],
  "events:write": ["organization.view", "events.view", "events.manage", "groups.view", "media.upload"],
  "registrations:read": ["registrations.view", "payments.view", "analytics.view"],
  "registrations:write": ["registrations.view", "registrations.manage", "payments.view"],
  checkin: ["checkin.scan"],
  "tickets:read": [],
} as const satisfies Record<ApiScope, readonly string[]>;

/** Token text: `aq_org_<32 base62>` / `aq_pat_<32 base62>`; the first 12 characters are shown in lists ("prefix"). */
export const TOKEN_PREFIX = { organization: "aq_org_", personal: "aq_pat_" } as const;
export const TOKEN_SHOWN_PREFIX_LENGTH = 12;
