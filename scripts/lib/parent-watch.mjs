// Preloaded into the app server (node --import, by serveForeground in proc.mjs): ends the server like a
// SIGTERM when the process that started it (npm start / npm run dev) is gone, so a kill -9 of that
// process never leaves an orphaned server holding the port (the embedded PostgreSQL stops by itself
// in that case too: it watches its own parent).
const parent = process.ppid;
const timer = setInterval(() => {
  if (process.ppid !== parent) {
    clearInterval(timer);
    process.kill(process.pid, "SIGTERM");
  }
}, 1000);
timer.unref();
