// What counts as an error in a server's output (the embedded test layer fails on any).
// Next prints failed requests and renders with "⨯" and the error's type ("Error:", "TypeError: …");
// Node prints uncaught ones as uncaughtException / unhandledRejection; the app's own console.error
// lines say "error" or "failed". PostgreSQL's log is a file of its own and is not read here.
const ERROR_LINE = /uncaughtException|unhandledRejection|⨯|\b[A-Za-z]*Error\b|\berror\b|\bfailed\b|\bFATAL\b|\bPANIC\b/;

/** A line of the route table `next build` prints (a route may be called /error). */
const ROUTE_TABLE = /^\s*[┌├└│]/;

/** The lines of `text` that report an error. */
export function errorLines(text) {
  return text.split("\n").filter((line) => ERROR_LINE.test(line) && !ROUTE_TABLE.test(line));
}
