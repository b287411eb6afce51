// The one edge of every server action (lib/<area>/actions.ts). `action(schema, handler, options)` does,
// once and in this order:
//   1. zod parsing of the arguments → `{ ok: false, code: "VALIDATION", fieldErrors }` keyed like the
//      form's fields (react-hook-form shows them on the same fields), or NOT_FOUND for id-only inputs;
//   2. the caller (getCurrentUser: Auth.js + the session row), UNAUTHENTICATED when `session: "required"`;
//   3. the named rate limit (lib/http/limits.ts): its `ip` rule for every caller, its `user` rule for a
//      signed-in one — RATE_LIMITED with the limit's message;
//   4. the handler: one service call + revalidation; it returns the success fields (or nothing);
//   5. any throw → toActionError (AppError → its code, message key and field errors; anything else is
//      logged and answered INTERNAL). Next's own control flow (redirect, notFound) passes through.
// Every "use server" export is a public endpoint: the handler gets the caller from here, never from
// the arguments.
import "server-only";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { toActionError, type ActionResult, type FieldErrors } from "@/lib/errors";
import { clientIp } from "@/lib/http/client-address";
import { LIMITS, type LimitName, type LimitRule, type LimitSubject, type SubjectOf } from "@/lib/http/limits";
import { getLocale } from "@/lib/i18n/server";
import type { Locale } from "@/lib/i18n/config";
import { getCurrentUser } from "@/lib/identity/session";
import type { SessionUser } from "@/lib/identity/types";
import { actorOf, type Actor } from "@/lib/permissions";
import { enforceLimit } from "@/lib/rate-limit";

type Session = "optional" | "required";

export type ActionOptions<N extends LimitName, S extends Session> = {
  /** "optional" (default): ctx.user may be null; "required": UNAUTHENTICATED without a session. */
  session?: S;
  /** The named limit; the edge counts its `ip` and (signed in) `user` rules before the handler. */
  limit?: N;
  /** What an input that fails the schema answers: VALIDATION with field errors (default) or NOT_FOUND (ids only). */
  invalid?: "validation" | "not-found";
};

export type ActionContext<N extends LimitName, S extends Session, Args extends readonly unknown[] = readonly unknown[]> = {
  user: S extends "required" ? SessionUser : SessionUser | null;
  actor: S extends "required" ? Actor : Actor | null;
  /** The caller's UI language (the locale cookie). */
  locale: () => Promise<Locale>;
  /** The client address (lib/http/client-address.ts). */
  ip: () => Promise<string>;
  /** Counts one request of `value` under another subject of the declared limit (e.g. an email). */
  enforce: (subject: SubjectOf<N>, value: string | null | undefined) => Promise<void>;
  /** The arguments as the client sent them (services that parse their input again take those). */
  raw: Args;
};

/** The arguments an action takes: a tuple schema's elements, else one input. */
type ArgsOf<Schema extends z.ZodType> = Schema extends z.ZodTuple ? z.input<Schema> : [input: z.input<Schema>];

/** zod issues as `{ field: message key }`; a tuple's leading argument index is not part of the field name. */
export function actionFieldErrors(error: z.ZodError, tuple: boolean): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = tuple ? issue.path.slice(1) : issue.path;
    const field = path.map(String).join(".") || "_form";
    out[field] ??= issue.message;
  }
  return out;
}

/** Wraps a server action in the edge (see the top of this file). */
export function action<Schema extends z.ZodType, R extends object | void, N extends LimitName = never, S extends Session = "optional">(
  schema: Schema,
  handler: (input: z.output<Schema>, ctx: ActionContext<N, S, ArgsOf<Schema>>) => Promise<R>,
  options: ActionOptions<N, S> = {},
): (...args: ArgsOf<Schema>) => Promise<ActionResult<R extends object ? R : object>> {
  const tuple = schema instanceof z.ZodTuple;
  const arity = schema instanceof z.ZodTuple ? schema.def.items.length : 1;
  const name = options.limit as LimitName | undefined;
  const rules = name ? (LIMITS[name].rules as Partial<Record<LimitSubject, LimitRule>>) : {};

  return async (...args) => {
    // Extra trailing arguments (a form's FormData after bound ones) are ignored, as a plain function would.
    const parsed = schema.safeParse(tuple ? args.slice(0, arity) : args[0]);
    if (!parsed.success) {
      if (options.invalid === "not-found") return { ok: false, code: "NOT_FOUND", message: "errors.notFound" };
      return { ok: false, code: "VALIDATION", message: "errors.validation", fieldErrors: actionFieldErrors(parsed.error, tuple) };
    }
    let ipOf: Promise<string> | null = null;
    const ip = () => (ipOf ??= headers().then((h) => clientIp(h)));
    try {
      const user = await getCurrentUser();
      if (options.session === "required" && !user) return { ok: false, code: "UNAUTHENTICATED", message: "errors.unauthenticated" };
      if (name && rules.ip) await enforceLimit(name, "ip" as never, await ip());
      if (name && rules.user && user) await enforceLimit(name, "user" as never, user.id);
      const ctx = {
        user,
        actor: actorOf(user),
        locale: getLocale,
        ip,
        enforce: (subject: LimitSubject, value: string | null | undefined) => {
          if (!name) throw new Error("action: ctx.enforce() needs options.limit");
          return enforceLimit(name, subject as never, value);
        },
        raw: args,
      } as unknown as ActionContext<N, S, ArgsOf<Schema>>;
      const out = await handler(parsed.data, ctx);
      return { ok: true, ...(out ?? {}) } as ActionResult<R extends object ? R : object>;
    } catch (error) {
      unstable_rethrow(error);
      return toActionError(error);
    }
  };
}

/** Arguments that are ids (strings) only: anything else is NOT_FOUND-worthy, not a form error. */
export const id = z.string().min(1).max(200);

/**
 * A schema whose argument type is the form's declared input type `I` (zod infers `unknown` for
 * preprocessed fields, which would make the action's parameter `unknown`-shaped). Types only.
 */
export function accepting<I>() {
  return <S extends z.ZodType>(schema: S) => schema as unknown as z.ZodType<z.output<S>, I>;
}
