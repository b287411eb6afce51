// A PostgreSQL wire-protocol server in front of one PGlite instance, for many client connections.
//
// Why not PGLiteSocketServer from @electric-sql/pglite-socket: it interleaves the single backend
// between connections message by message, so under concurrency one connection's Parse can replace
// another's unnamed prepared statement between its Parse and Bind ("bind message supplies 8
// parameters, but prepared statement "" requires 3"). Prisma and pg send every parameterised query
// that way. Here a connection owns the backend from its first message until the backend is idle
// again: ReadyForQuery with status 'I' after a Sync, a simple Query or the end of a COPY. While it
// is inside a transaction ('T') or a failed one ('E') it keeps the backend; the other connections
// wait their turn (first come, first served).
//
// PGlite has one session, so session state is shared by all connections: SET, temporary tables,
// advisory locks (a second connection gets a lock the first one holds), LISTEN, named prepared
// statements. The database name in the URL is ignored; there is only "postgres".
import net from "node:net";

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]); // 'S'
// Messages after which the backend answers with ReadyForQuery: Sync, Query, CopyDone, CopyFail.
const ENDS_WITH_READY = new Set([0x53, 0x51, 0x63, 0x66]);
const TERMINATE = 0x58; // 'X'

/** A FATAL ErrorResponse (the client shows `message`), for refusing a connection. */
function fatal(code, message) {
  const fields = Buffer.concat([
    Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0`, "utf8"),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header[0] = 0x45; // 'E'
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

export class PgliteServer {
  #db;
  #host;
  #port;
  #maxConnections;
  #server = null;
  #connections = new Set();
  #waiting = []; // connections with messages to run, in arrival order
  #owner = null; // the connection the backend belongs to until it is idle again
  #pumping = false;

  /** @param {import("@electric-sql/pglite").PGlite} db */
  constructor(db, { host = "127.0.0.1", port = 0, maxConnections = 20 } = {}) {
    this.#db = db;
    this.#host = host;
    this.#port = port;
    this.#maxConnections = maxConnections;
  }

  /** Listens; resolves with the port (useful with port 0), rejects on EADDRINUSE and the like. */
  start() {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => this.#accept(socket));
      server.once("error", reject);
      server.listen(this.#port, this.#host, () => {
        server.off("error", reject);
        this.#server = server;
        this.#port = server.address().port;
        resolve(this.#port);
      });
    });
  }

  get port() {
    return this.#port;
  }

  get url() {
    return `postgresql://postgres@${this.#host}:${this.#port}/postgres`;
  }

  /** Stops listening, closes every connection, and waits until the backend is no longer in use. */
  async stop() {
    const closed = this.#server ? new Promise((resolve) => this.#server.close(() => resolve())) : Promise.resolve();
    for (const conn of this.#connections) conn.socket.destroy();
    await closed;
    while (this.#pumping) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  #accept(socket) {
    socket.setNoDelay(true);
    if (this.#connections.size >= this.#maxConnections) {
      socket.end(fatal("53300", "sorry, too many clients already"));
      return;
    }
    const conn = { socket, buffer: Buffer.alloc(0), pending: [], started: false, queued: false, closed: false };
    this.#connections.add(conn);
    socket.on("data", (chunk) => this.#receive(conn, chunk));
    socket.on("error", () => this.#close(conn));
    socket.on("close", () => this.#close(conn));
  }

  /** Splits the incoming bytes into whole protocol messages and queues them. */
  #receive(conn, chunk) {
    conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, chunk]) : chunk;
    for (;;) {
      if (!conn.started) {
        if (conn.buffer.length < 8) break;
        const length = conn.buffer.readInt32BE(0);
        if (conn.buffer.length < length) break;
        const code = conn.buffer.readInt32BE(4);
        const message = conn.buffer.subarray(0, length);
        conn.buffer = conn.buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          conn.socket.write("N"); // no encryption: the client continues in plain text
        } else if (code === PROTOCOL_3) {
          conn.started = true;
          conn.pending.push(message);
        } else {
          conn.socket.destroy(); // CancelRequest (cannot cancel a running PGlite query) or garbage
          return;
        }
        continue;
      }
      if (conn.buffer.length < 5) break;
      const length = 1 + conn.buffer.readInt32BE(1);
      if (conn.buffer.length < length) break;
      const message = conn.buffer.subarray(0, length);
      conn.buffer = conn.buffer.subarray(length);
      if (message[0] === TERMINATE) {
        conn.socket.end();
        break;
      }
      conn.pending.push(message);
    }
    if (conn.pending.length && conn !== this.#owner && !conn.queued) {
      conn.queued = true;
      this.#waiting.push(conn);
    }
    this.#pump();
  }

  #close(conn) {
    if (conn.closed) return;
    conn.closed = true;
    conn.pending = [];
    this.#connections.delete(conn);
    this.#pump(); // if it owned the backend, the pump releases it
  }

  /** Runs queued messages one connection at a time, for as long as there is work. */
  async #pump() {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (;;) {
        if (this.#owner?.closed) await this.#release(this.#owner);
        const conn = this.#owner ?? this.#next();
        if (!conn || !conn.pending.length) break; // the owner has not sent its next message yet
        await this.#runTurn(conn);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #next() {
    while (this.#waiting.length) {
      const conn = this.#waiting.shift();
      conn.queued = false;
      if (!conn.closed && conn.pending.length) return conn;
    }
    return null;
  }

  /** Runs the connection's messages until the backend is idle again or none are left. */
  async #runTurn(conn) {
    this.#owner = conn;
    while (conn.pending.length && !conn.closed) {
      const message = conn.pending.shift();
      const isStartup = message[0] === 0;
      let tail = Buffer.alloc(0);
      try {
        await this.#db.runExclusive(() =>
          this.#db.execProtocolRawStream(message, {
            onRawData: (data) => {
              if (!data.length) return;
              const copy = Buffer.from(data); // a view into PGlite's memory: copy before it is reused
              tail = Buffer.concat([tail, copy]).subarray(-6);
              if (!conn.closed && conn.socket.writable) conn.socket.write(copy);
            },
          }),
        );
      } catch (error) {
        conn.socket.destroy(error);
        return;
      }
      const readyStatus =
        (isStartup || ENDS_WITH_READY.has(message[0])) && tail.length === 6 && tail[0] === 0x5a && tail.readInt32BE(1) === 5
          ? String.fromCharCode(tail[5])
          : null;
      if (readyStatus === "I") {
        this.#owner = null; // idle: let the next connection in; this one queues again if it has more
        if (conn.pending.length && !conn.queued) {
          conn.queued = true;
          this.#waiting.push(conn);
        }
        return;
      }
    }
  }

  /** The owner went away mid-query or mid-transaction: end its extended-protocol batch and roll back. */
  async #release(conn) {
    try {
      await this.#db.runExclusive(() => this.#db.execProtocolRawStream(SYNC, { onRawData: () => {} }));
      if (this.#db.isInTransaction()) await this.#db.exec("ROLLBACK");
    } catch {
      // the backend is reset by the next startup message anyway
    }
    if (this.#owner === conn) this.#owner = null;
  }
}
