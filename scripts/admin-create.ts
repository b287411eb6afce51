// npm run admin:create -- --email you@example.com [--first-name Anna] [--reset-password] [--password-stdin]
//
// Creates the platform admin of an installation, or promotes an existing account: email verified,
// platform admin (lib/identity/platform-admin.ts). This is how the first admin of a production database
// comes to exist: `npm start` creates demo accounts only on the embedded database.
//
// The password of a new account (or, with --reset-password, the new password of an existing one):
// - in a terminal: asked for twice, not echoed;
// - otherwise: generated (24 characters) and printed once;
// - with --password-stdin: read from standard input (for scripts: printf '%s' "$PW" | npm run admin:create -- …).
// An existing account keeps its password unless --reset-password is given. Running it again changes
// nothing. The database: DATABASE_URL, else the embedded one (through a running npm start, or started
// for the command); pending migrations are applied first.
import { parseArgs } from "node:util";
import { loadDotEnv } from "./lib/app-env.mjs";
import { migrateDatabase, toolDatabase } from "./lib/database.mjs";
import { isAppError } from "@/lib/errors";
import { translatorFor } from "@/lib/i18n/catalogue";
import { emailSchema, firstNameSchema, newPasswordSchema } from "@/lib/validation/identity";

const USAGE = "usage: npm run admin:create -- --email you@example.com [--first-name Name] [--reset-password] [--password-stdin]";
const t = translatorFor("en");
const say = (message: string) => console.log(`[admin:create] ${message}`);

function exit(message: string, code = 1): never {
  console.error(`[admin:create] ${message}`);
  process.exit(code);
}

function options() {
  try {
    const { values } = parseArgs({
      options: {
        email: { type: "string" },
        "first-name": { type: "string" },
        "reset-password": { type: "boolean", default: false },
        "password-stdin": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    return values;
  } catch (error) {
    exit(`${(error as Error).message}\n${USAGE}`, 2);
  }
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let value = "";
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stdout.write("\n");
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          stdin.setRawMode(false);
          process.stdout.write("\n");
          process.exit(130);
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

async function readStdin(): Promise<string> {
  let text = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, "");
}

/** The password to set, and whether it was generated (then it is printed once). */
async function choosePassword(passwordStdin: boolean): Promise<{ password: string; generated: boolean }> {
  const { generatePassword } = await import("@/lib/identity/platform-admin");
  if (passwordStdin) return { password: await readStdin(), generated: false };
  if (!process.stdin.isTTY || !process.stdout.isTTY) return { password: generatePassword(), generated: true };
  for (;;) {
    const first = await promptHidden("Password (8–100 characters, a letter and a digit; empty: generate one): ");
    if (first === "") return { password: generatePassword(), generated: true };
    const checked = newPasswordSchema.safeParse(first);
    if (!checked.success) {
      console.log(`  ${t.dynamic(checked.error.issues[0].message)}`);
      continue;
    }
    if ((await promptHidden("The same password again: ")) === first) return { password: first, generated: false };
    console.log("  The passwords do not match; again.");
  }
}

async function main() {
  const values = options();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.email) exit(`--email is required\n${USAGE}`, 2);
  // Bad input is reported before any database is touched.
  const email = emailSchema.safeParse(values.email);
  if (!email.success) exit(`${values.email}: ${t.dynamic(email.error.issues[0].message)}`, 2);
  if (values["first-name"] !== undefined) {
    const name = firstNameSchema.safeParse(values["first-name"]);
    if (!name.success) exit(`--first-name: ${t.dynamic(name.error.issues[0].message)}`, 2);
  }
  if (values["password-stdin"] && process.stdin.isTTY) exit("--password-stdin reads the password from a pipe, not from the terminal", 2);

  loadDotEnv({ dev: false });
  const database = await toolDatabase();
  try {
    process.env.DATABASE_URL = database.url;
    await migrateDatabase(database.url);
    const { ensurePlatformAdmin, findAccountByEmail } = await import("@/lib/identity/platform-admin");
    const { disconnectDb } = await import("@/lib/db");
    try {
      const existing = await findAccountByEmail(email.data);
      const needsPassword = !existing || values["reset-password"];
      if (existing && !values["reset-password"] && values["password-stdin"]) {
        exit(`${email.data} already has an account; its password stays as it is unless you add --reset-password`, 2);
      }
      const chosen = needsPassword ? await choosePassword(values["password-stdin"]) : null;
      const result = await ensurePlatformAdmin({ email: email.data, password: chosen?.password, firstName: values["first-name"] });

      if (result.created) say(`created the platform admin ${result.email} (email verified)`);
      else if (result.promoted) say(`${result.email} is now a platform admin${result.verified ? " (email marked verified)" : ""}`);
      else say(`${result.email} is already a platform admin${result.verified ? " (email now marked verified)" : ""}: nothing to change`);
      if (!result.created && result.passwordSet) say(`password replaced; ${result.sessionsRevoked} session(s) signed out`);
      if (chosen?.generated) {
        console.log("");
        console.log(`  password for ${result.email} (shown only now; keep it somewhere safe):`);
        console.log(`  ${chosen.password}`);
        console.log("");
      }
      if (database.embedded) say("note: this is the embedded database (DATABASE_URL is not set)");
    } finally {
      await disconnectDb();
    }
  } catch (error) {
    if (isAppError(error) && error.fieldErrors) {
      exit(Object.entries(error.fieldErrors).map(([field, key]) => `${field}: ${t.dynamic(key)}`).join("; "));
    }
    throw error;
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => exit(error instanceof Error ? error.message : String(error)));
