/**
 * Fake SMTP server for tests: a real SMTP listener (smtp-server) on 127.0.0.1 and a free port, no
 * authentication, no TLS (STARTTLS disabled: its built-in certificate has expired), that parses every
 * message it accepts (mailparser) and keeps it.
 *
 *   const smtp = await startFakeSmtp();
 *   process.env.SMTP_URL = smtp.url;                 // smtp://127.0.0.1:41234 (nodemailer: no TLS)
 *   …
 *   smtp.messages                                    // parsed: to, from, subject, text, html, headers, attachments
 *   smtp.messagesTo("anna@example.test")
 *   await smtp.waitForMessages(2, { to: "anna@example.test" })   // resolves when 2 arrived (10 s timeout)
 *   smtp.failNext(2)                                 // the next 2 messages: 421 (temporary, try later)
 *   smtp.failNext(1, { code: 451, message: "4.3.0 Try again" })
 *   smtp.rejectAddress("gone@example.test")          // RCPT TO that address: 550 5.1.1 mailbox unavailable
 *   smtp.dropNext()                                  // the next message: the connection is dropped after DATA
 *   smtp.reset(); await smtp.stop();
 *
 * Standalone: `node --import tsx tests/fakes/smtp-server.ts --port 2525` prints
 * `FAKE_SMTP_URL=smtp://127.0.0.1:2525` and runs until SIGINT/SIGTERM.
 */
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";

export interface ReceivedAttachment {
  filename?: string;
  contentType: string;
  /** Content-ID without the angle brackets (inline images), if any. */
  cid?: string;
  contentDisposition?: string;
  size: number;
  content: Buffer;
}

export interface ReceivedMessage {
  /** Envelope recipients (RCPT TO), lower-cased. */
  envelopeTo: string[];
  envelopeFrom: string;
  /** The To: header's addresses. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId?: string;
  /** Lower-cased header name → its raw value as a string. */
  headers: Record<string, string>;
  attachments: ReceivedAttachment[];
  raw: Buffer;
  time: Date;
}

export interface FakeSmtpFailure {
  /** 4xx: temporary (the sender retries); 5xx: permanent. Default 421. */
  code?: number;
  message?: string;
}

export interface FakeSmtp {
  url: string;
  port: number;
  readonly messages: ReceivedMessage[];
  messagesTo(address: string): ReceivedMessage[];
  waitForMessages(count: number, options?: { to?: string; timeoutMs?: number }): Promise<ReceivedMessage[]>;
  /** The next `times` messages are refused after DATA with the given reply (default 421 temporary). */
  failNext(times?: number, failure?: FakeSmtpFailure): void;
  /** RCPT TO this address answers 550 5.1.1 (or the given failure). */
  rejectAddress(address: string, failure?: FakeSmtpFailure): void;
  /** The next `times` messages: the connection is destroyed after DATA, no answer. */
  dropNext(times?: number): void;
  /** How many DATA commands were answered with an injected failure or dropped. */
  readonly refused: number;
  reset(): void;
  stop(): Promise<void>;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value.map((v) => (v.address ?? "").toLowerCase())).filter(Boolean);
}

function smtpError(failure: Required<FakeSmtpFailure>): Error & { responseCode: number } {
  return Object.assign(new Error(failure.message), { responseCode: failure.code });
}

export async function startFakeSmtp(options: { port?: number; host?: string } = {}): Promise<FakeSmtp> {
  const messages: ReceivedMessage[] = [];
  const failures: Array<Required<FakeSmtpFailure>> = [];
  const rejected = new Map<string, Required<FakeSmtpFailure>>();
  let drops = 0;
  let refused = 0;
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    banner: "AqStream fake SMTP",
    size: 25 * 1024 * 1024,
    closeTimeout: 1000,
    onRcptTo(address, _session, callback) {
      const failure = rejected.get(address.address.toLowerCase());
      if (failure) return callback(smtpError(failure));
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        if (drops > 0) {
          drops--;
          refused++;
          // No answer: the client sees the connection close mid-transaction.
          const connections = (server as unknown as { connections: Set<{ _socket: { destroy(): void }; session: SMTPServerSession }> }).connections;
          for (const connection of connections) if (connection.session.id === session.id) connection._socket.destroy();
          return;
        }
        const failure = failures.shift();
        if (failure) {
          refused++;
          return callback(smtpError(failure));
        }
        const raw = Buffer.concat(chunks);
        try {
          const parsed = await simpleParser(raw);
          const headers: Record<string, string> = {};
          for (const line of parsed.headerLines) headers[line.key.toLowerCase()] = line.line.slice(line.line.indexOf(":") + 1).trim();
          messages.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: addresses(parsed.to),
            from: addresses(parsed.from)[0] ?? "",
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            messageId: parsed.messageId,
            headers,
            attachments: parsed.attachments.map((a) => ({
              filename: a.filename,
              contentType: a.contentType,
              cid: a.cid,
              contentDisposition: a.contentDisposition,
              size: a.size,
              content: a.content,
            })),
            raw,
            time: new Date(),
          });
          for (const wake of [...waiters]) wake();
          callback();
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  server.on("error", () => {}); // a dropped client connection is not the fake's failure
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  const host = options.host ?? "127.0.0.1";

  const messagesTo = (address: string) => messages.filter((m) => m.envelopeTo.includes(address.toLowerCase()));

  return {
    url: `smtp://${host}:${port}`,
    port,
    messages,
    messagesTo,
    get refused() {
      return refused;
    },
    waitForMessages(count, { to, timeoutMs = 10_000 } = {}) {
      const current = () => (to ? messagesTo(to) : messages);
      if (current().length >= count) return Promise.resolve(current());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake SMTP: ${current().length} of ${count} messages${to ? ` to ${to}` : ""} after ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (current().length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(current());
        };
        waiters.add(check);
      });
    },
    failNext(times = 1, failure = {}) {
      for (let i = 0; i < times; i++) failures.push({ code: failure.code ?? 421, message: failure.message ?? "4.4.2 Service temporarily unavailable, try again later" });
    },
    rejectAddress(address, failure = {}) {
      rejected.set(address.toLowerCase(), { code: failure.code ?? 550, message: failure.message ?? "5.1.1 Mailbox unavailable: no such user" });
    },
    dropNext(times = 1) {
      drops += times;
    },
    reset() {
      messages.length = 0;
      failures.length = 0;
      rejected.clear();
      drops = 0;
      refused = 0;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Standalone: node --import tsx tests/fakes/smtp-server.ts --port 2525
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf("--port");
  const smtp = await startFakeSmtp({ port: at > -1 ? Number(process.argv[at + 1]) : 0 });
  console.log(`FAKE_SMTP_URL=${smtp.url}`);
  const stop = () => void smtp.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
