// Typed SQL fragments: one way to write a statement that runs on a Prisma transaction or on a plain
// `pg` connection alike, and to compose fragments into one statement without copying them.
//
//   const q = sql`SELECT * FROM users WHERE id = ${id}::uuid`;        // values become $1, $2, …
//   const withAudit = sql`WITH reg AS (${insertReg}), audit AS (${auditInsert(entry, { from: "reg" })}) SELECT …`;
//   await runner.rows(q);                                              // onPrisma(tx) or onPg(client)
//
// A fragment is text with holes; interpolating a fragment splices its text and values in (the
// placeholders are numbered when the statement is compiled), interpolating anything else makes it a
// parameter. So a rule written once as a fragment (an audit insert, an outbox enqueue, a rate-limit
// upsert, the seat arithmetic) is the same SQL on every path that uses it — the hot path's single
// round trip composes it, the ordinary path runs it alone. `raw()` is for constants of the code
// (identifiers, literals from a typed catalogue), never for input.
import { createHash } from "node:crypto";

const FRAGMENT = Symbol.for("aqstream.sql");

export class Sql {
  readonly [FRAGMENT] = true;
  /** Text pieces; `values[i]` goes between `strings[i]` and `strings[i + 1]`. */
  readonly strings: readonly string[];
  readonly values: readonly unknown[];

  constructor(strings: readonly string[], values: readonly unknown[]) {
    if (strings.length !== values.length + 1) throw new Error("sql: strings and values do not line up");
    // Flatten nested fragments so every value is a plain parameter.
    const outStrings: string[] = [strings[0]];
    const outValues: unknown[] = [];
    values.forEach((value, i) => {
      if (isSql(value)) {
        outStrings[outStrings.length - 1] += value.strings[0];
        value.values.forEach((inner, j) => {
          outValues.push(inner);
          outStrings.push(value.strings[j + 1]);
        });
        outStrings[outStrings.length - 1] += strings[i + 1];
      } else {
        outValues.push(value);
        outStrings.push(strings[i + 1]);
      }
    });
    this.strings = outStrings;
    this.values = outValues;
  }

  /** `$1`-numbered text and its values, for pg or `$queryRawUnsafe`. */
  compile(): { text: string; values: unknown[] } {
    let text = this.strings[0];
    for (let i = 1; i < this.strings.length; i++) text += `$${i}${this.strings[i]}`;
    return { text, values: [...this.values] };
  }
}

export function isSql(value: unknown): value is Sql {
  return typeof value === "object" && value !== null && (value as { [FRAGMENT]?: boolean })[FRAGMENT] === true;
}

/** A fragment: `${x}` is a parameter, `${fragment}` is spliced in. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

/** Text of the code itself (an identifier, a literal from a typed catalogue): never user input. */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

/** Fragments joined by `separator` (", " by default). */
export function join(parts: readonly Sql[], separator = ", "): Sql {
  if (parts.length === 0) return raw("");
  const strings: string[] = [""];
  const values: unknown[] = [];
  parts.forEach((part, i) => {
    if (i > 0) strings[strings.length - 1] += separator;
    values.push(part);
    strings.push("");
  });
  return new Sql(strings, values);
}

/** A SQL string literal of a code constant (single quotes doubled). For catalogue values only. */
export function literal(value: string): Sql {
  return raw(`'${value.replaceAll("'", "''")}'`);
}

export const empty = raw("");

const names = new Map<string, string>();

/**
 * A stable prepared-statement name for a statement text: the same text always gets the same name, so a
 * pg connection parses and plans it once. (Several processes may share a server: names live per session.)
 */
export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `aq_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    if (names.size > 2000) names.clear(); // statements are code, not data: this never grows in practice
    names.set(text, name);
  }
  return name;
}
