// Test data straight into the e2e database: users with a known password, organizations, groups and
// events. Every call makes rows of its own (unique slugs and emails), so tests run in parallel.
import { randomInt, randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import pg from "pg";
import { PASSWORD, databaseUrl, query, uniqueEmail } from "./support";

/** bcrypt of PASSWORD at cost 4: sign-in stays fast on a busy machine. */
const PASSWORD_HASH = bcrypt.hashSync(PASSWORD, 4);

export type WorldUser = { id: string; email: string; firstName: string };

export async function createUser(
  firstName: string,
  options: { emailVerified?: boolean; telegram?: { id: number; username: string } } = {},
): Promise<WorldUser> {
  const id = randomUUID();
  const email = uniqueEmail("w");
  await query(
    `INSERT INTO users (id, email, email_verified, email_verified_at, password_hash, first_name, last_name, telegram_id, telegram_chat_id, telegram_username)
     VALUES ($1, $2, $3, CASE WHEN $3 THEN now() END, $4, $5, 'Тестова', $6, $6, $7)`,
    [id, email, options.emailVerified ?? true, PASSWORD_HASH, firstName, options.telegram ? String(options.telegram.id) : null, options.telegram?.username ?? null],
  );
  return { id, email, firstName };
}

export type WorldOrganization = { id: string; slug: string; name: string; owner: WorldUser };

/** An organization with its OWNER (one transaction: the OWNER rule is checked at commit). */
export async function createOrganization(name = "Клуб"): Promise<WorldOrganization> {
  const owner = await createUser("Владелец");
  const id = randomUUID();
  const slug = `e2e-org-${id.slice(0, 8)}`;
  const fullName = `${name} ${id.slice(0, 6)}`;
  await transaction(async (client) => {
    await client.query(`INSERT INTO organizations (id, owner_id, name, slug) VALUES ($1, $2, $3, $4)`, [id, owner.id, fullName, slug]);
    await client.query(`INSERT INTO organization_members (id, organization_id, user_id, role) VALUES ($1, $2, $3, 'OWNER')`, [randomUUID(), id, owner.id]);
  });
  return { id, slug, name: fullName, owner };
}

export async function addModerator(organization: WorldOrganization, user: WorldUser): Promise<void> {
  await query(`INSERT INTO organization_members (id, organization_id, user_id, role) VALUES ($1, $2, $3, 'MODERATOR')`, [randomUUID(), organization.id, user.id]);
}

const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export async function createGroup(organization: WorldOrganization, name: string, members: WorldUser[]): Promise<{ id: string; name: string }> {
  const id = randomUUID();
  const code = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
  await query(`INSERT INTO groups (id, organization_id, name, invite_code, created_by) VALUES ($1, $2, $3, $4, $5)`, [id, organization.id, name, code, organization.owner.id]);
  for (const member of members) {
    await query(`INSERT INTO group_members (id, group_id, user_id, invited_by) VALUES ($1, $2, $3, $4)`, [randomUUID(), id, member.id, organization.owner.id]);
  }
  return { id, name };
}

export type WorldEvent = { id: string; slug: string; title: string; path: string; typeIds: string[] };

/**
 * A PUBLISHED event `days` ahead (default 7), public or in a group, with ticket types; `soldCount`
 * marks seats as sold (the counters are what availability reads).
 */
export async function createEvent(
  organization: WorldOrganization,
  title: string,
  options: { groupId?: string | null; days?: number; tickets?: { name: string; quantity: number | null; soldCount?: number }[] } = {},
): Promise<WorldEvent> {
  const id = randomUUID();
  const slug = `e2e-event-${id.slice(0, 8)}`;
  const startsAt = new Date(Date.now() + (options.days ?? 7) * 24 * 3600_000);
  const tickets = options.tickets ?? [{ name: "Стандартный", quantity: 50 }];
  const typeIds = tickets.map(() => randomUUID());
  await transaction(async (client) => {
    await client.query(
      `INSERT INTO events (id, tenant_id, organizer_id, group_id, title, description, status, starts_at, ends_at, slug, location_address, published_at)
       VALUES ($1, $2, $3, $4, $5, 'Описание события.', 'PUBLISHED', $6, $7, $8, 'Москва, ул. Тестовая, 1', now())`,
      [id, organization.id, organization.owner.id, options.groupId ?? null, title, startsAt, new Date(startsAt.getTime() + 3 * 3600_000), slug],
    );
    for (const [i, t] of tickets.entries()) {
      await client.query(
        `INSERT INTO ticket_types (id, event_id, name, price_cents, quantity, sold_count, sort_order) VALUES ($1, $2, $3, 0, $4, $5, $6)`,
        [typeIds[i], id, t.name, t.quantity, t.soldCount ?? 0, i],
      );
    }
  });
  return { id, slug, title, path: `/e/${organization.slug}/${slug}`, typeIds };
}

async function transaction(fn: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query("BEGIN");
    await fn(client);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    await client.end();
  }
}
