// The setup side of bench:api (scripts/bench/api.mjs), through the app's own services — as the owner
// would do it on Dashboard → Developers: an organization API token (lib/api/tokens.ts
// createOrganizationToken: shown once, stored as SHA-256, audited) and a webhook endpoint subscribed to
// registration.created (lib/webhooks createEndpoint: the URL guard, the signing secret shown once and
// stored encrypted). Nothing is inserted by hand, so the benchmark measures exactly what a real
// integration gets.
// Run by the benchmark with tsx (server code: react-server conditions):
//   tsx --conditions=react-server scripts/bench/api-setup.ts <input.json>
// input: { databaseUrl, ownerId, organizationId, receiverUrl | null, scopes }
// Prints one JSON line (the last line of stdout): { token, tokenId, endpointId | null, secret | null }.
import fs from "node:fs";

type Input = {
  databaseUrl: string;
  ownerId: string;
  organizationId: string;
  receiverUrl: string | null;
  scopes: string[];
};

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as Input;
process.env.DATABASE_URL = input.databaseUrl;

const { disconnectDb } = await import("@/lib/db");
const { actorOf } = await import("@/lib/permissions");
const { createOrganizationToken } = await import("@/lib/api/tokens");

const actor = actorOf({ id: input.ownerId, isPlatformAdmin: false })!;

const token = await createOrganizationToken({
  actor,
  organizationId: input.organizationId,
  name: `bench:api ${new Date().toISOString()}`,
  scopes: input.scopes,
  expiresAt: null,
});

let endpointId: string | null = null;
let secret: string | null = null;
if (input.receiverUrl) {
  const { createEndpoint } = await import("@/lib/webhooks");
  const created = await createEndpoint({
    actor,
    organizationId: input.organizationId,
    input: { url: input.receiverUrl, description: "bench:api receiver", eventTypes: ["registration.created"] },
  });
  endpointId = created.endpoint.id;
  secret = created.secret;
}

await disconnectDb();
console.log(JSON.stringify({ token: token.token, tokenId: token.record.id, endpointId, secret }));
