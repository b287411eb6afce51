// Writing audit rows: one row per state change, in the caller's transaction (docs/data-model.md).
// Every service writes through these helpers, never through prisma.auditLog or a hand-written INSERT
// (eslint forbids `auditLog.create*` outside this folder): the entity type and action come from the
// catalogue (./catalogue.ts), typed as pairs, and the database's CHECK constraints hold the same lists.
//   - auditRow()     — the Prisma row (createMany batches);
//   - writeAudit()   — one row, returns its id; writeAudits() — many rows;
//   - auditInsertSql() — the same row as a SQL fragment for statements written in plain SQL (check-in);
//   - auditParams()  — the entity type and action as statement parameters (the sale statement, which
//                      must stay a plain literal: scripts/bench/rush.mjs reads it).
import "server-only";
import type { DbClient, Prisma } from "@/lib/db";
import { AUDIT_CATALOGUE, isAuditEntityType, type AuditAction, type AuditEntityType } from "./catalogue";

export {
  AUDIT_ACTIONS,
  AUDIT_CATALOGUE,
  AUDIT_ENTITY,
  AUDIT_ENTITY_TYPES,
  isAuditAction,
  isAuditEntityType,
  type AuditAction,
  type AuditEntityType,
} from "./catalogue";

type EntryOf<E extends AuditEntityType> = {
  /** The tenant the row belongs to (null: platform-level, e.g. a user's own account). */
  organizationId?: string | null;
  /** Who did it (null: the system, e.g. a scheduled job). */
  actorId: string | null;
  entityType: E;
  entityId: string;
  action: AuditAction<E>;
  /** `{ field: { from, to } }` pairs and notes. */
  changes?: Record<string, unknown>;
};

/** One audit row: an entity type of the catalogue with one of ITS actions. */
export type AuditEntry = { [E in AuditEntityType]: EntryOf<E> }[AuditEntityType];

/** Fails loudly on a value that escaped the type check (e.g. through `as`): the CHECK would fail later. */
function assertCatalogued(entityType: string, action: string): void {
  if (!isAuditEntityType(entityType)) throw new Error(`audit: unknown entity type "${entityType}" (lib/audit/catalogue.ts)`);
  if (!(AUDIT_CATALOGUE[entityType] as readonly string[]).includes(action)) {
    throw new Error(`audit: "${action}" is not an action of "${entityType}" (lib/audit/catalogue.ts)`);
  }
}

/** The row as Prisma writes it (for createMany). */
export function auditRow(entry: AuditEntry): Prisma.AuditLogCreateManyInput {
  assertCatalogued(entry.entityType, entry.action);
  return {
    organizationId: entry.organizationId ?? null,
    actorId: entry.actorId,
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    changes: (entry.changes ?? {}) as Prisma.InputJsonObject,
  };
}

/** One audit row in the caller's transaction; returns its id (used in per-edit dedupe keys). */
export async function writeAudit(tx: DbClient, entry: AuditEntry): Promise<string> {
  const row = await tx.auditLog.create({ data: auditRow(entry), select: { id: true } });
  return row.id;
}

/** Several audit rows in one statement; returns how many were written. */
export async function writeAudits(tx: DbClient, entries: readonly AuditEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const { count } = await tx.auditLog.createMany({ data: entries.map(auditRow) });
  return count;
}

/** A catalogue value as a SQL string literal (catalogue values are [a-z_.] only: nothing to escape). */
function literal(value: string): string {
  if (!/^[a-z_.]+$/.test(value)) throw new Error(`audit: "${value}" is not a catalogue value`);
  return `'${value}'`;
}

type SqlEntryOf<E extends AuditEntityType> = {
  entityType: E;
  action: AuditAction<E>;
  /** SQL expressions (placeholders, columns of `from`, sub-selects). */
  organizationId: string;
  actorId: string;
  entityId: string;
  /** A jsonb expression. */
  changes: string;
  /** The FROM clause: one row is written per row it yields. */
  from: string;
};
export type AuditSqlEntry = { [E in AuditEntityType]: SqlEntryOf<E> }[AuditEntityType];

/**
 * The audit row as an `INSERT … SELECT … FROM … RETURNING id` statement, for a CTE of a statement written
 * in plain SQL: the entity type and action are literals from the catalogue, the rest are SQL expressions.
 */
export function auditInsertSql(entry: AuditSqlEntry): string {
  assertCatalogued(entry.entityType, entry.action);
  return `INSERT INTO audit_logs (id, organization_id, actor_id, entity_type, entity_id, action, changes, created_at)
    SELECT gen_random_uuid(), ${entry.organizationId}, ${entry.actorId}, ${literal(entry.entityType)}, ${entry.entityId}, ${literal(entry.action)},
           ${entry.changes}, now()
      FROM ${entry.from}
    RETURNING id`;
}

/** The entity type and action of an audit row as statement parameters ([entityType, action]), checked. */
export function auditParams<E extends AuditEntityType>(entityType: E, action: AuditAction<E>): [E, AuditAction<E>] {
  assertCatalogued(entityType, action);
  return [entityType, action];
}
