// The one typed, validated environment. Every setting is documented in .env.example.
// validateEnv() runs when the server starts (instrumentation.ts) and names every missing or invalid
// variable; the app refuses to start rather than fail later.
import { z } from "zod";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(z.string().url().optional());

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.string().url({ message: "must be a postgresql:// connection string" }),
    AUTH_SECRET: z.string().optional(),
    AUTH_TRUST_HOST: bool,
    APP_URL: z.string().url().default("http://localhost:3000"),
    DEFAULT_LOCALE: z.enum(["ru", "en"]).default("ru"),
    SMTP_URL: optionalUrl,
    MAIL_FROM: z.string().default("AqStream <no-reply@aqstream.local>"),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && (!env.AUTH_SECRET || env.AUTH_SECRET.length < 32)) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_SECRET"],
        message: env.AUTH_SECRET
          ? "must be at least 32 characters in production (generate one: openssl rand -base64 32)"
          : "is required in production: it signs session cookies (generate one: openssl rand -base64 32)",
      });
    }
    if (!/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
      ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "must start with postgresql://" });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every setting.`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join(".") || "(env)"} ${i.message}`));
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated environment (parsed once per process). */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Called at server start: throws EnvError naming every problem. */
export function validateEnv(): Env {
  cached = parseEnv();
  return cached;
}

/** Development fallback so `npm run dev` works without configuration; production requires AUTH_SECRET. */
export function authSecret(): string {
  const e = env();
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  if (e.NODE_ENV === "production") throw new EnvError(["AUTH_SECRET is required in production"]);
  return "aqstream-development-secret-not-for-production-use";
}
