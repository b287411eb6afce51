// bench:broadcast's organizer message, created through the service the composer uses
// (lib/messages createEventMessage: ALL_CONFIRMED, now), as the event's owner. Run by
// scripts/bench/broadcast.mjs with runTs:
//   tsx --conditions=react-server scripts/bench/broadcast-message.ts <ownerId> <eventId>
// (DATABASE_URL in the environment); prints one JSON line: { id, createdAt }.
import { db, disconnectDb } from "@/lib/db";
import { createEventMessage } from "@/lib/messages";
import { actorOf } from "@/lib/permissions";

const [ownerId, eventId] = process.argv.slice(2);

const owner = await db.user.findUniqueOrThrow({ where: { id: ownerId }, select: { id: true, isPlatformAdmin: true } });
const { id } = await createEventMessage({
  actor: actorOf(owner),
  input: {
    eventId,
    subject: "Bench broadcast",
    body: "Doors open at **18:30**. Bring your ticket — see you _soon_!\n\nDetails: [the event page](https://example.test/e/bench)",
    audience: "ALL_CONFIRMED",
  },
});
const row = await db.eventMessage.findUniqueOrThrow({ where: { id }, select: { createdAt: true } });
console.log(JSON.stringify({ id, createdAt: row.createdAt.toISOString() }));
await disconnectDb();
