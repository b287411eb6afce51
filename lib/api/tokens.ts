// API tokens (docs/api.md → "Tokens and scopes"): organization tokens (created by the OWNER, scoped,
// acting as their creator narrowed by the scopes) and personal tokens (any signed-in person: their own
// tickets). The token text is shown once and never stored: api_tokens.token_hash is its hex SHA-256.
//
// authenticateApiToken() is the API edge's one round trip: ONE statement finds the token by hash, says
// whether it is live (not revoked, not expired, its user not deleted, an organization token's user still
// a member of the non-deleted organization), and — only for a live token — writes the `api_token.used`
// audit row (lib/audit auditInsert), touches last_used_at / last_used_ip at most once per 10 s (a
// conditional UPDATE that skips a row another request is touching, so parallel requests never queue on
// it) and counts the per-token rate limit (lib/rate-limit rateLimitUpsert) — the same fragments every
// other path runs.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { auditInsert, writeAudit } from "@/lib/audit";
import { db, onPool, sql, type Sql } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { limitKeyPrefix, limitRule, type LimitName } from "@/lib/http/limits";
import { authorizeOrganization, isUuid, requireActor, type Actor } from "@/lib/permissions";
import { rateLimitResultOf, rateLimitUpsert, type RateLimitResult } from "@/lib/rate-limit";
import { organizationScopes, tokenExpiresAt, tokenName } from "@/lib/validation/api-tokens";
import { parseWith } from "@/lib/http/parse";
import type { ApiPrincipal, HttpMethod } from "./operation";
import { isApiScope, PERSONAL_SCOPES, TOKEN_PREFIX, TOKEN_SHOWN_PREFIX_LENGTH, type ApiScope, type OrganizationScope } from "./scopes";

export type ApiTokenKind = "organization" | "personal";

/** A token as lists show it (never the hash, never the text). */
export type ApiTokenRecord = {
  id: string;
  kind: ApiTokenKind;
  organizationId: string | null;
  /** The owner who created it / the person it belongs to. */
  userId: string;
  name: string;
  /** The first characters of the token (aq_org_ab12…). */
  prefix: string;
  scopes: ApiScope[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
  createdAt: Date;
};

/** How often last_used_at / last_used_ip are written at most, per token. */
export const LAST_USED_THROTTLE_SECONDS = 10;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TOKEN_BODY_LENGTH = 32;
const TOKEN_RE = /^aq_(org|pat)_[0-9A-Za-z]{32}$/;

/** 32 random base62 characters (rejection sampling: every character equally likely). */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** The stored form of a token: hex SHA-256 of its text. */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

const kindOf = (dbKind: string): ApiTokenKind => (dbKind === "ORGANIZATION" ? "organization" : "personal");

const recordSelect = {
  id: true,
  kind: true,
  organizationId: true,
  userId: true,
  name: true,
  prefix: true,
  scopes: true,
  expiresAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  revokedAt: true,
  createdAt: true,
} as const;

type RecordRow = { id: string; kind: string; organizationId: string | null; userId: string; name: string; prefix: string; scopes: string[]; expiresAt: Date | null; lastUsedAt: Date | null; lastUsedIp: string | null; revokedAt: Date | null; createdAt: Date };

function toRecord(row: RecordRow): ApiTokenRecord {
  return { ...row, kind: kindOf(row.kind), scopes: row.scopes.filter(isApiScope) };
}

/** A person acting for themselves (a token never makes or revokes tokens). */
function personOf(actor: Actor | null | undefined): Actor {
  const person = requireActor(actor);
  if (person.token) throw new AppError("FORBIDDEN", "errors.forbidden");
  return person;
}

async function insertToken(options: {
  actor: Actor;
  kind: ApiTokenKind;
  organizationId: string | null;
  name: string;
  scopes: readonly ApiScope[];
  expiresAt: Date | null;
}): Promise<{ token: string; record: ApiTokenRecord }> {
  const token = `${TOKEN_PREFIX[options.kind]}${randomBase62(TOKEN_BODY_LENGTH)}`;
  const record = await db.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        kind: options.kind === "organization" ? "ORGANIZATION" : "PERSONAL",
        organizationId: options.organizationId,
        userId: options.actor.userId,
        name: options.name,
        prefix: token.slice(0, TOKEN_SHOWN_PREFIX_LENGTH),
        tokenHash: hashApiToken(token),
        scopes: [...options.scopes],
        expiresAt: options.expiresAt,
      },
      select: recordSelect,
    });
    await writeAudit(tx, {
      organizationId: options.organizationId,
      actorId: options.actor.userId,
      entityType: "api_token",
      entityId: row.id,
      action: "api_token.created",
      changes: { kind: options.kind, name: options.name, scopes: options.scopes, expiresAt: options.expiresAt?.toISOString() ?? null },
    });
    return row;
  });
  return { token, record: toRecord(record) };
}

const organizationTokenInput = z.object({ name: tokenName, scopes: organizationScopes, expiresAt: tokenExpiresAt });
const personalTokenInput = z.object({ name: tokenName, expiresAt: tokenExpiresAt });

/**
 * A new organization token (permission `api.manage`: the OWNER). Scopes ⊆ ORGANIZATION_SCOPES (≥ 1),
 * name 1–100, expiresAt in the future or null. The token text is returned once.
 */
export async function createOrganizationToken(options: {
  actor: Actor | null | undefined;
  organizationId: string;
  name: unknown;
  scopes: unknown;
  expiresAt?: unknown;
}): Promise<{ token: string; record: ApiTokenRecord }> {
  const actor = personOf(options.actor);
  const { organization } = await authorizeOrganization({ actor, organizationId: options.organizationId, permission: "api.manage" });
  const input = parseWith(organizationTokenInput, { name: options.name, scopes: options.scopes, expiresAt: options.expiresAt });
  return insertToken({ actor, kind: "organization", organizationId: organization.id, name: input.name, scopes: input.scopes as OrganizationScope[], expiresAt: input.expiresAt });
}

/** A new personal token of the signed-in person (scope tickets:read). The token text is returned once. */
export async function createPersonalToken(options: { actor: Actor | null | undefined; name: unknown; expiresAt?: unknown }): Promise<{ token: string; record: ApiTokenRecord }> {
  const actor = personOf(options.actor);
  const input = parseWith(personalTokenInput, { name: options.name, expiresAt: options.expiresAt });
  return insertToken({ actor, kind: "personal", organizationId: null, name: input.name, scopes: PERSONAL_SCOPES, expiresAt: input.expiresAt });
}

/** The organization's tokens, newest first (permission `api.manage`). */
export async function listOrganizationTokens(options: { actor: Actor | null | undefined; organizationId: string }): Promise<ApiTokenRecord[]> {
  const actor = personOf(options.actor);
  const { organization } = await authorizeOrganization({ actor, organizationId: options.organizationId, permission: "api.manage" });
  const rows = await db.apiToken.findMany({
    where: { organizationId: organization.id, kind: "ORGANIZATION" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: recordSelect,
  });
  return rows.map(toRecord);
}

/** The signed-in person's personal tokens, newest first. */
export async function listPersonalTokens(options: { actor: Actor | null | undefined }): Promise<ApiTokenRecord[]> {
  const actor = personOf(options.actor);
  const rows = await db.apiToken.findMany({
    where: { userId: actor.userId, kind: "PERSONAL" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: recordSelect,
  });
  return rows.map(toRecord);
}

/**
 * Revokes a token: an organization token by the organization's OWNER (`api.manage`; another
 * organization's token is NOT_FOUND, a moderator FORBIDDEN), a personal token by its person (anyone
 * else: NOT_FOUND). Revoking twice is harmless (the audit row is written once, by the revoke that
 * happened: a conditional update on revoked_at IS NULL).
 */
export async function revokeApiToken(options: { actor: Actor | null | undefined; tokenId: string }): Promise<ApiTokenRecord> {
  const actor = personOf(options.actor);
  const notFound = () => new AppError("NOT_FOUND", "errors.notFound");
  if (!isUuid(options.tokenId)) throw notFound();
  const found = await db.apiToken.findUnique({ where: { id: options.tokenId }, select: { id: true, kind: true, organizationId: true, userId: true } });
  if (!found) throw notFound();
  if (found.kind === "ORGANIZATION") {
    await authorizeOrganization({ actor, organizationId: found.organizationId!, permission: "api.manage" });
  } else if (found.userId !== actor.userId) {
    throw notFound();
  }
  const row = await db.$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { id: found.id, revokedAt: null }, data: { revokedAt: new Date(), revokedBy: actor.userId } });
    if (count === 1) {
      await writeAudit(tx, {
        organizationId: found.organizationId,
        actorId: actor.userId,
        entityType: "api_token",
        entityId: found.id,
        action: "api_token.revoked",
      });
    }
    return tx.apiToken.findUniqueOrThrow({ where: { id: found.id }, select: recordSelect });
  });
  return toRecord(row);
}

/** The named limit (lib/http/limits.ts) each kind of request counts per token: reads (GET, HEAD) and writes. */
const API_LIMITS = {
  read: { limit: "api.read" },
  write: { limit: "api.write" },
} as const satisfies Record<string, { limit: LimitName }>;

/** The named limit a request of this method counts. */
export function apiLimitNameOf(method: string): "api.read" | "api.write" {
  const m = method.toUpperCase();
  return (m === "GET" || m === "HEAD" ? API_LIMITS.read : API_LIMITS.write).limit;
}

export type ApiAuthentication = {
  principal: ApiPrincipal;
  /** The per-token limit of this request (api.read / api.write), counted in the same statement. */
  limitName: "api.read" | "api.write";
  rateLimit: RateLimitResult;
};

type AuthRow = {
  id: string;
  kind: string;
  organization_id: string | null;
  user_id: string;
  scopes: string[];
  revoked: boolean;
  expired: boolean;
  member: boolean;
  rl_count: number | null;
  rl_reset_at: Date | null;
  rl_now: Date | null;
};

const unauthenticated = (key: string) => new AppError("UNAUTHENTICATED", key);

/** The authentication rule as one statement (see the top of this file). */
function authenticateQuery(hash: string, ip: string, method: string, path: string, limitName: "api.read" | "api.write"): Sql {
  const rule = limitRule(limitName, "token");
  const live = sql`live AS (SELECT * FROM t WHERE NOT t.revoked AND NOT t.expired AND t.member)`;
  return sql`WITH t AS (
      SELECT t.id, t.kind, t.organization_id, t.user_id, t.scopes,
             t.revoked_at IS NOT NULL AS revoked,
             (t.expires_at IS NOT NULL AND t.expires_at <= now()) AS expired,
             (EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id AND u.deleted_at IS NULL)
              AND (t.kind = 'PERSONAL' OR EXISTS (
                SELECT 1 FROM organization_members m JOIN organizations o ON o.id = m.organization_id AND o.deleted_at IS NULL
                 WHERE m.organization_id = t.organization_id AND m.user_id = t.user_id))) AS member
        FROM api_tokens t WHERE t.token_hash = ${hash}
    ), ${live},
    audit AS (${auditInsert(
      {
        entityType: "api_token",
        action: "api_token.used",
        organizationId: sql`live.organization_id`,
        actorId: sql`live.user_id`,
        entityId: sql`live.id`,
        changes: { method, path, ip },
      },
      sql`live`,
    )}),
    touch AS (
      UPDATE api_tokens a SET last_used_at = now(), last_used_ip = ${ip}
       WHERE a.id = (SELECT x.id FROM api_tokens x JOIN live ON live.id = x.id
                      WHERE x.last_used_at IS NULL OR x.last_used_at < now() - make_interval(secs => ${LAST_USED_THROTTLE_SECONDS}::int)
                      FOR NO KEY UPDATE OF x SKIP LOCKED)
      RETURNING a.id
    ),
    rl AS (${rateLimitUpsert(sql`(SELECT ${limitKeyPrefix(limitName, "token")}::text || live.id::text FROM live)`, rule.windowSeconds)})
    SELECT t.id, t.kind, t.organization_id, t.user_id, t.scopes, t.revoked, t.expired, t.member,
           rl.count AS rl_count, rl.reset_at AS rl_reset_at, rl.now AS rl_now
      FROM t LEFT JOIN rl ON true`;
}

/**
 * The principal of a bearer token, in one round trip (see the top of this file). A malformed, unknown
 * token or one whose user left the organization → 401 api.errors.tokenInvalid; revoked → tokenRevoked;
 * expired → tokenExpired. Nothing is written for a refused token. The rate limit is counted, not
 * enforced: the caller (the edge) answers 429 from `rateLimit`.
 */
export async function authenticateApiToken(options: { token: string; ip: string; method: HttpMethod | string; path: string }): Promise<ApiAuthentication> {
  const token = options.token.trim();
  if (!TOKEN_RE.test(token)) throw unauthenticated("api.errors.tokenInvalid");
  const limitName = apiLimitNameOf(options.method);
  const ip = (options.ip || "unknown").slice(0, 64);
  const path = options.path.slice(0, 300);
  const [row] = await onPool().rows<AuthRow>(authenticateQuery(hashApiToken(token), ip, options.method.toUpperCase(), path, limitName), { prepare: true });
  if (!row) throw unauthenticated("api.errors.tokenInvalid");
  if (row.revoked) throw unauthenticated("api.errors.tokenRevoked");
  if (row.expired) throw unauthenticated("api.errors.tokenExpired");
  if (!row.member || row.rl_count === null) throw unauthenticated("api.errors.tokenInvalid");
  const principal: ApiPrincipal = {
    tokenId: row.id,
    kind: kindOf(row.kind),
    organizationId: row.organization_id,
    userId: row.user_id,
    scopes: row.scopes.filter(isApiScope),
  };
  const rateLimit = rateLimitResultOf({ count: row.rl_count, reset_at: row.rl_reset_at!, now: row.rl_now! }, limitRule(limitName, "token").limit);
  return { principal, limitName, rateLimit };
}

/** The actor services get for a principal: the token's user, narrowed by the token (lib/permissions). */
export function actorOfPrincipal(principal: ApiPrincipal): Actor {
  return {
    userId: principal.userId,
    isPlatformAdmin: false,
    token: { id: principal.tokenId, kind: principal.kind, organizationId: principal.organizationId, scopes: principal.scopes },
  };
}
