// The measuring side of bench:analytics (scripts/bench/analytics.mjs): the app's own analytics services
// (lib/analytics), called as the pages and the export route call them, on the benchmark's database.
// Run by the benchmark with tsx (server code: react-server conditions):
//   tsx --conditions=react-server scripts/bench/analytics-measure.ts <input.json>
// input.mode "views": { databaseUrl, ownerId, adminId, organizationId, bigEventId, typicalEventId,
//   typicalOwnerId, iterations, warmup } → p50/p95/max of each view (after `warmup` unmeasured calls), and
//   the figures of the first call (the benchmark compares them with counts taken from the tables).
// input.mode "export": { databaseUrl, ownerId, eventId, format: "xlsx" | "csv", dataset } → one export,
//   read to the end as the route streams it to a client (bytes counted, nothing kept): time, bytes, CSV
//   lines, and this process's memory — RSS sampled every 10 ms and on every chunk, and the kernel's own
//   high-water mark (VmHWM) — so a fresh process per export shows what the export itself holds; with
//   node --expose-gc also the live heap after a full collection every 5 s (what is really held).
// Prints one JSON line (the last line of stdout).
import fs from "node:fs";

type Input = {
  mode: "views" | "export";
  databaseUrl: string;
  ownerId: string;
  adminId: string;
  organizationId: string;
  bigEventId: string;
  typicalEventId: string;
  typicalOwnerId: string;
  iterations: number;
  warmup: number;
  eventId: string;
  format: "xlsx" | "csv";
  dataset: "registrations" | "payments" | "check-ins" | "waitlist";
};

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as Input;
process.env.DATABASE_URL = input.databaseUrl;

const { disconnectDb } = await import("@/lib/db");
const { actorOf } = await import("@/lib/permissions");

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** kB of a line of /proc/self/status (VmHWM = peak RSS of this process, VmRSS = now), in bytes. */
function procStatus(field: "VmHWM" | "VmRSS"): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** A YYYY-MM-DD day in a time zone, `daysBack` days before today there. */
function dayIn(timeZone: string, daysBack: number): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - daysBack);
  return d.toISOString().slice(0, 10);
}

async function views() {
  const { eventAnalytics, organizationAnalytics, platformAnalytics } = await import("@/lib/analytics");
  const owner = actorOf({ id: input.ownerId, isPlatformAdmin: false });
  const typicalOwner = actorOf({ id: input.typicalOwnerId, isPlatformAdmin: false });
  const admin = actorOf({ id: input.adminId, isPlatformAdmin: true });
  const timezone = "Europe/Moscow";
  // The dashboards' periods: the default (the last 30 days, today included) and a year (365 days).
  const period = (days: number) => ({ from: dayIn(timezone, days - 1), to: dayIn(timezone, 0), timezone });

  const views: { name: string; run: () => Promise<unknown> }[] = [
    { name: "eventAnalytics, the big event", run: () => eventAnalytics({ actor: owner, eventId: input.bigEventId }) },
    { name: "eventAnalytics, a typical event", run: () => eventAnalytics({ actor: typicalOwner, eventId: input.typicalEventId }) },
    { name: "organizationAnalytics, 30 days", run: () => organizationAnalytics({ actor: owner, organizationId: input.organizationId, period: period(30) }) },
    { name: "organizationAnalytics, 365 days", run: () => organizationAnalytics({ actor: owner, organizationId: input.organizationId, period: period(365) }) },
    { name: "platformAnalytics, 30 days", run: () => platformAnalytics({ actor: admin, period: period(30) }) },
    { name: "platformAnalytics, 365 days", run: () => platformAnalytics({ actor: admin, period: period(365) }) },
  ];

  const results = [];
  const firsts: Record<string, unknown> = {};
  for (const view of views) {
    const first = await view.run(); // the first call: connections opened, plans prepared
    firsts[view.name] = first;
    for (let i = 1; i < input.warmup; i++) await view.run();
    const ms: number[] = [];
    for (let i = 0; i < input.iterations; i++) {
      const started = performance.now();
      await view.run();
      ms.push(performance.now() - started);
    }
    ms.sort((a, b) => a - b);
    results.push({ name: view.name, runs: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms.at(-1)!, min: ms[0] });
  }
  return { results, firsts };
}

async function exportOnce() {
  const analytics = (await import("@/lib/analytics")) as Record<string, unknown>;
  type Export = (options: Record<string, unknown>) => Promise<{ filename: string; stream: ReadableStream<Uint8Array> }>;
  const exportEventXlsx = analytics.exportEventXlsx as Export;
  const exportEventCsv = analytics.exportEventCsv as Export;
  const actor = actorOf({ id: input.ownerId, isPlatformAdmin: false });

  // Modules loaded, the database reached once: what the process holds before the export starts.
  const { db } = await import("@/lib/db");
  await db.$queryRaw`SELECT 1`;
  global.gc?.();
  const baselineRss = process.memoryUsage().rss;
  const baselineHwm = procStatus("VmHWM");
  let peakRss = baselineRss;
  let bytes = 0;
  // (bytes written so far, RSS) every 10 ms and on every chunk: where the memory went as the file grew
  const timeline: [number, number][] = [];
  const sample = () => {
    const rss = process.memoryUsage().rss;
    if (rss > peakRss) peakRss = rss;
    timeline.push([bytes, rss]);
  };
  const timer = setInterval(sample, 10);
  // The live heap: after a full collection (node --expose-gc, set by the benchmark) every 5 s and at the
  // end — what the export really holds, without the garbage V8 has not collected yet (RSS includes it).
  const liveHeap = () => {
    global.gc?.();
    return process.memoryUsage().heapUsed;
  };
  const liveStart = liveHeap();
  const live: number[] = [liveStart];
  const probe = global.gc ? setInterval(() => live.push(liveHeap()), 5000) : null;

  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { filename, stream } =
    input.format === "xlsx" ? await exportEventXlsx({ actor, eventId: input.eventId, locale: "ru" }) : await exportEventCsv({ actor, eventId: input.eventId, dataset: input.dataset, locale: "ru" });
  const reader = stream.getReader();
  let lines = 0;
  let chunks = 0;
  let head = "";
  let firstByteMs: number | null = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (firstByteMs === null) firstByteMs = performance.now() - started;
    chunks++;
    bytes += value.byteLength;
    if (head.length < 4) head += Buffer.from(value.subarray(0, 4)).toString("latin1");
    if (input.format === "csv") for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
    sample();
  }
  const ms = performance.now() - started;
  // This process's own CPU time over the export: near the wall time = bound by Node's work (rows
  // formatted, XML, deflate); far below it = waiting on PostgreSQL or on a busy machine.
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(timer);
  if (probe) clearInterval(probe);
  sample();
  const liveEnd = liveHeap();
  live.push(liveEnd);
  // The peak RSS while the first half of the file was written, and while the second half was: a
  // writer that holds its rows grows by at least the second half's bytes; a streaming one stays flat.
  const peakWhile = (from: number, to: number) => Math.max(0, ...timeline.filter(([b]) => b > from * bytes && b <= to * bytes).map(([, rss]) => rss));
  const quarters = [0.25, 0.5, 0.75, 1].map((q) => peakWhile(q - 0.25, q));
  return {
    filename,
    format: input.format,
    dataset: input.format === "xlsx" ? "workbook" : input.dataset,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    firstByteMs,
    bytes,
    chunks,
    lines,
    // "PK\x03\x04" = a zip (an XLSX is one); a CSV starts with the UTF-8 BOM
    signature: Buffer.from(head, "latin1").subarray(0, 4).toString("hex"),
    baselineRss,
    peakRss,
    quarters,
    firstHalfPeak: Math.max(baselineRss, quarters[0], quarters[1]),
    secondHalfPeak: Math.max(quarters[2], quarters[3]),
    secondHalfBytes: bytes - timeline.filter(([b]) => b <= 0.5 * bytes).reduce((m, [b]) => Math.max(m, b), 0),
    baselineHwm,
    gcProbes: global.gc ? live.length : 0,
    liveStart,
    liveMax: Math.max(...live),
    live,
    liveEnd,
    hwm: procStatus("VmHWM"),
  };
}

const out = input.mode === "views" ? await views() : await exportOnce();
console.log(JSON.stringify(out));
await disconnectDb();
