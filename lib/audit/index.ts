// Writing audit rows: one row per state change, in the caller's transaction (docs/data-model.md).
// Every service writes through these helpers, never through prisma.auditLog or a hand-written INSERT
// (eslint forbids `auditLog.create*` outside this folder): the entity type and action come from the
// catalogue (./catalogue.ts), typed as pairs, and the database's CHECK constraints hold the same lists.
//   - auditInsert()  — the row as a SQL fragment (lib/db), composed as a CTE by statements that change
//                      state in one round trip (the sale, check-in);
//   - writeAudit()   — one row, returns its id; writeAudits() — many rows: the same fragment, run alone.
import "server-only";
import { empty, isSql, join, literal, onPrisma, raw, sql, type DbClient, type Sql, type SqlRunner } from "@/lib/db";
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

/** A value, or a SQL expression of the enclosing statement (a column of `from`, a sub-select). */
type Value<T> = T | Sql;

type SqlEntryOf<E extends AuditEntityType> = {
  entityType: E;
  action: AuditAction<E>;
  organizationId?: Value<string | null>;
  actorId: Value<string | null>;
  entityId: Value<string>;
  /** `{ field: { from, to } }` pairs and notes, or a jsonb expression. */
  changes?: Value<Record<string, unknown>>;
};
export type AuditSqlEntry = { [E in AuditEntityType]: SqlEntryOf<E> }[AuditEntityType];

function valueOf(value: unknown, cast: string): Sql {
  return isSql(value) ? value : sql`${value ?? null}${raw(cast)}`;
}

/** created_at is the moment of the insert (clock_timestamp), not the transaction's start: the Activity tab's order is the order of the changes. */
function rowValues(entry: AuditSqlEntry): Sql {
  assertCatalogued(entry.entityType, entry.action);
  const changes = isSql(entry.changes) ? entry.changes : sql`${JSON.stringify(entry.changes ?? {})}::jsonb`;
  return sql`gen_random_uuid(), ${valueOf(entry.organizationId, "::uuid")}, ${valueOf(entry.actorId, "::uuid")}, ${literal(entry.entityType)},
           ${valueOf(entry.entityId, "::uuid")}, ${literal(entry.action)}, ${changes}, clock_timestamp()`;
}

/**
 * The audit rule as one fragment: `INSERT INTO audit_logs … SELECT … [FROM from] RETURNING id`. The entity
 * type and action are literals of the catalogue (checked here and by the database); the other columns
 * are values (parameters) or SQL expressions over `from`, so a statement that changes state composes its
 * own audit row as a CTE (one row per row `from` yields). writeAudit() runs the same fragment alone.
 */
export function auditInsert(entry: AuditSqlEntry, from?: Sql): Sql {
  return sql`INSERT INTO audit_logs (id, organization_id, actor_id, entity_type, entity_id, action, changes, created_at)
    SELECT ${rowValues(entry)}${from ? sql` FROM ${from}` : empty}
    RETURNING id`;
}

/** Several audit rows in one statement. */
function auditInsertMany(entries: readonly AuditSqlEntry[]): Sql {
  return sql`INSERT INTO audit_logs (id, organization_id, actor_id, entity_type, entity_id, action, changes, created_at)
    VALUES ${join(entries.map((e) => sql`(${rowValues(e)})`))}
    RETURNING id`;
}

function runnerOf(tx: DbClient | SqlRunner): SqlRunner {
  return "rows" in tx ? tx : onPrisma(tx);
}

/** One audit row in the caller's transaction; returns its id (used in per-edit dedupe keys). */
export async function writeAudit(tx: DbClient | SqlRunner, entry: AuditEntry): Promise<string> {
  const [row] = await runnerOf(tx).rows<{ id: string }>(auditInsert(entry));
  return row.id;
}

/** Several audit rows in one statement; returns how many were written. */
export async function writeAudits(tx: DbClient | SqlRunner, entries: readonly AuditEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  return (await runnerOf(tx).rows<{ id: string }>(auditInsertMany(entries))).length;
}
