// Mail through SMTP: with SMTP_URL set, sendMail() writes the outbox row *and* a `mail/requested` job in
// the caller's transaction; the embedded runner sends it after the commit through nodemailer to a fake
// SMTP server (below) and deletes the row. A permanent rejection (5xx) is not retried. A guest's ticket
// email goes the same way after its own job (written by the sale) has rendered it.
import net from "node:net";
import { afterAll, afterEach, describe, expect, test } from "vitest";

type Received = { from: string; to: string[]; data: string };

/** A minimal SMTP server: enough of RFC 5321 for nodemailer (no TLS, no auth). */
async function startFakeSmtp() {
  const received: Received[] = [];
  const server = net.createServer((socket) => {
    socket.setEncoding("utf8");
    let buffer = "";
    let inData = false;
    let current: Received = { from: "", to: [], data: "" };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 fake-smtp ESMTP");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      for (let i = buffer.indexOf("\r\n"); i >= 0; i = buffer.indexOf("\r\n")) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            received.push(current);
            current = { from: "", to: [], data: "" };
            reply("250 2.0.0 queued");
          } else {
            current.data += `${line.startsWith("..") ? line.slice(1) : line}\r\n`;
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO") {
          reply("250-fake-smtp");
          reply("250 8BITMIME");
        } else if (verb === "HELO" || verb === "NOOP" || verb === "RSET") reply("250 OK");
        else if (verb === "MAIL") {
          current.from = line;
          reply("250 OK");
        } else if (verb === "RCPT") {
          if (line.includes("reject")) reply("550 5.1.1 no such user");
          else {
            current.to.push(line);
            reply("250 OK");
          }
        } else if (verb === "DATA") {
          inData = true;
          reply("354 end with <CRLF>.<CRLF>");
        } else if (verb === "QUIT") {
          reply("221 bye");
          socket.end();
        } else reply("502 not implemented");
      }
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const smtp = await startFakeSmtp();
process.env.SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
process.env.MAIL_FROM = "AqStream Test <robot@aqstream.test>";

const { db } = await import("@/lib/db");
const { Runner } = await import("@/lib/jobs/runner");
const { appRegistry } = await import("@/lib/worker");
const { sendMail, smtpConfigured } = await import("@/lib/mail");
const { deliverMail } = await import("@/lib/mail/deliver");
const { signUp } = await import("@/lib/identity/sign-up");
const { register } = await import("@/lib/registrations/register");
const { createEvent, createOrganization, createTicketType, uniqueEmail } = await import("@/tests/helpers/factories");

type RunnerT = InstanceType<typeof Runner>;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const runners: RunnerT[] = [];

function startRunner(): RunnerT {
  const runner = new Runner({ registry: appRegistry(), pollMs: 20, concurrency: 4, lockMs: 10_000, backoffBaseMs: 50, backoffJitter: 0, crons: false, logger: quiet });
  runners.push(runner);
  runner.start();
  return runner;
}

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop({ timeoutMs: 5000 })));
});
afterAll(() => smtp.stop());

async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("waitFor: timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Undoes quoted-printable soft line breaks and escapes, enough to find a link in the body. */
const unQuotedPrintable = (s: string) => s.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

describe("mail through SMTP", () => {
  test("a sign-up's verification mail is sent after the commit by the job, then leaves the outbox", async () => {
    expect(smtpConfigured()).toBe(true);
    const email = uniqueEmail("smtp");
    await signUp({ email, password: "Секрет123", firstName: "Анна" });
    const row = await db.mailOutbox.findFirstOrThrow({ where: { to: email } });
    const job = await db.job.findFirstOrThrow({ where: { eventName: "mail/requested", dedupeKey: `send-mail:mail:${row.id}` } });
    expect(job.status).toBe("PENDING");

    startRunner();
    const message = await waitFor(async () => smtp.received.find((m) => m.to.some((t) => t.includes(email))));
    expect(message.from).toContain("robot@aqstream.test");
    const body = unQuotedPrintable(message.data);
    expect(body).toMatch(/\/verify-email\?token=[0-9a-f]{64}/);
    expect(body).toMatch(/Content-Type: text\/html/i);

    await waitFor(async () => (await db.job.findUniqueOrThrow({ where: { id: job.id } })).status === "SUCCEEDED");
    expect(await db.mailOutbox.count({ where: { id: row.id } })).toBe(0);
  });

  test("a rolled-back transaction sends nothing", async () => {
    const email = uniqueEmail("smtp-rollback");
    const jobsBefore = await db.job.count({ where: { eventName: "mail/requested" } });
    await expect(
      db.$transaction(async (tx) => {
        await sendMail({ to: email, subject: "never", text: "never" }, tx);
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect(await db.mailOutbox.count({ where: { to: email } })).toBe(0);
    expect(await db.job.count({ where: { eventName: "mail/requested" } })).toBe(jobsBefore);
  });

  test("delivery is idempotent: a second run of the same mail sends nothing", async () => {
    const email = uniqueEmail("smtp-once");
    const { id } = await sendMail({ to: email, subject: "Once", text: "Only once" });
    expect(await deliverMail({ mailId: id })).toMatchObject({ status: "sent" });
    expect(await deliverMail({ mailId: id })).toEqual({ status: "gone" });
    expect(smtp.received.filter((m) => m.to.some((t) => t.includes(email)))).toHaveLength(1);
  });

  test("a guest's ticket email: the sale commits the registration.confirmed notice (email, the guest's language) and its job; the runner sends it through SMTP with the link", async () => {
    const { organization } = await createOrganization();
    const event = await createEvent(organization, { settings: { allowGuests: true } as never });
    const type = await createTicketType(event);
    const email = uniqueEmail("smtp-guest");
    const sale = await register({ actor: null, eventId: event.id, ticketTypeId: type.id, firstName: "Гость", email, locale: "en" });
    // Committed with the sale: one email notice to the guest's address, in English, with its job.
    const notices = await db.notificationLog.findMany({ where: { registrationId: sale.registrationId, templateCode: "registration.confirmed" } });
    expect(notices).toMatchObject([{ channel: "EMAIL", email, locale: "EN", userId: null, status: "PENDING" }]);
    expect(await db.job.count({ where: { dedupeKey: `deliver-notification:notification:${notices[0].id}`, status: "PENDING" } })).toBe(1);

    startRunner();
    const message = await waitFor(async () => smtp.received.find((m) => m.to.some((t) => t.includes(email))));
    const body = unQuotedPrintable(message.data);
    expect(body).toContain(`/t/${sale.guestToken}`);
    expect(body).toMatch(/Subject: =\?UTF-8\?Q\?Your_ticket/);
    await waitFor(async () => (await db.notificationLog.findUniqueOrThrow({ where: { id: notices[0].id } })).status === "SENT");
    // Sent once; nothing went through the dev outbox.
    expect(smtp.received.filter((m) => m.to.some((t) => t.includes(email)))).toHaveLength(1);
    expect(await db.mailOutbox.count({ where: { to: email } })).toBe(0);
  });

  test("a permanent rejection (550) fails the job without retries and keeps the row for inspection", async () => {
    const email = uniqueEmail("reject");
    const { id } = await sendMail({ to: email, subject: "Rejected", text: "x" });
    startRunner();
    const job = await waitFor(async () => {
      const row = await db.job.findFirst({ where: { dedupeKey: `send-mail:mail:${id}` } });
      return row?.status === "FAILED" ? row : null;
    });
    expect(job.attempts).toBe(1);
    expect(job.lastError).toContain("550");
    expect(await db.mailOutbox.count({ where: { id } })).toBe(1);
  });
});
