// Demo data for AqStream, applied on first run by `npm start`:
//   DATABASE_URL=… node_modules/.bin/tsx --conditions=react-server prisma/seed.ts
//
// Idempotent: when the demo admin already exists it only prints the logins. Otherwise everything is
// written in one transaction (all or nothing; a second seed running at the same time waits on an
// advisory lock and then finds the data). Ticket-type counters are computed from the registrations
// written, so sold_count / reserved_count always equal the rows.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPrismaClient } from "@/lib/db";
import type { Prisma, PrismaClient, RegistrationStatus } from "@/lib/generated/prisma/client";
import { hashPassword } from "@/lib/identity/password";
import { generateCode } from "@/lib/tickets/codes";

/** Password of every demo account (8–100 characters, a letter and a digit). */
export const DEMO_PASSWORD = "demo12345";

export const DEMO_ORGANIZATION_SLUG = "aqstream-demo";

export const DEMO_ACCOUNTS = {
  admin: { role: "Администратор платформы", email: "admin@aqstream.example", firstName: "Алиса", lastName: "Админова" },
  owner: { role: "Организатор (OWNER)", email: "owner@aqstream.example", firstName: "Ольга", lastName: "Смирнова" },
  moderator: { role: "Модератор", email: "moderator@aqstream.example", firstName: "Дмитрий", lastName: "Кузнецов" },
  anna: { role: "Участник (в группе)", email: "anna@aqstream.example", firstName: "Анна", lastName: "Иванова" },
  ivan: { role: "Участник (в группе)", email: "ivan@aqstream.example", firstName: "Иван", lastName: "Петров" },
  maria: { role: "Участник", email: "maria@aqstream.example", firstName: "Мария", lastName: "Соколова" },
  pavel: { role: "Участник", email: "pavel@aqstream.example", firstName: "Павел", lastName: "Морозов" },
} as const;

/** The Telegram-only participant (no email, no password: signs in through the bot). */
export const DEMO_TELEGRAM_USER = {
  role: "Участник (только Telegram)",
  telegramId: "100000001",
  telegramUsername: "alexey_demo",
  firstName: "Алексей",
  lastName: "Волков",
} as const;

const SEED_LOCK_KEY = 731_002;
const MOSCOW_UTC_OFFSET_HOURS = 3; // Europe/Moscow has no DST

/** `days` from today (Moscow calendar) at hh:mm Moscow time. */
function moscow(days: number, hour: number, minute = 0): Date {
  const nowInMoscow = new Date(Date.now() + MOSCOW_UTC_OFFSET_HOURS * 3_600_000);
  return new Date(
    Date.UTC(nowInMoscow.getUTCFullYear(), nowInMoscow.getUTCMonth(), nowInMoscow.getUTCDate() + days, hour - MOSCOW_UTC_OFFSET_HOURS, minute),
  );
}

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);

export type SeedResult = { created: boolean; logins: string };

/** Writes the demo data unless it is already there. Does not disconnect `db`. */
export async function seed(db: PrismaClient): Promise<SeedResult> {
  const logins = formatLogins();
  if (await demoPresent(db)) return { created: false, logins };

  const passwordHash = await hashPassword(DEMO_PASSWORD); // once: bcrypt cost 12 is the slow part
  const created = await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`;
      if (await demoPresent(tx)) return false;
      await writeDemoData(tx, passwordHash);
      // Run the deferred "exactly one OWNER" check here rather than at COMMIT (a failing COMMIT
      // leaks a connection in Prisma 6.19 and hides the reason).
      await tx.$executeRaw`SET CONSTRAINTS ALL IMMEDIATE`;
      return true;
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
  return { created, logins };
}

async function demoPresent(db: PrismaClient | Prisma.TransactionClient): Promise<boolean> {
  const admin = await db.user.findFirst({ where: { email: DEMO_ACCOUNTS.admin.email, deletedAt: null }, select: { id: true } });
  return admin !== null;
}

type PlannedRegistration = {
  userId?: string;
  guest?: { firstName: string; lastName: string; email: string };
  status: RegistrationStatus;
  expiresAt?: Date;
  createdAt?: Date;
};

async function writeDemoData(tx: Prisma.TransactionClient, passwordHash: string): Promise<void> {
  const now = new Date();

  // ── users (ids made here, so rows go in with createMany: fewer round trips) ──
  type AccountKey = keyof typeof DEMO_ACCOUNTS;
  const accountKeys = Object.keys(DEMO_ACCOUNTS) as AccountKey[];
  const users = Object.fromEntries(accountKeys.map((key) => [key, randomUUID()])) as Record<AccountKey, string>;
  const alexey = { id: randomUUID() };
  await tx.user.createMany({
    data: [
      ...accountKeys.map((key) => ({
        id: users[key],
        email: DEMO_ACCOUNTS[key].email,
        passwordHash,
        firstName: DEMO_ACCOUNTS[key].firstName,
        lastName: DEMO_ACCOUNTS[key].lastName,
        emailVerified: true,
        emailVerifiedAt: now,
        isPlatformAdmin: key === "admin",
      })),
      {
        id: alexey.id,
        telegramId: DEMO_TELEGRAM_USER.telegramId,
        telegramChatId: DEMO_TELEGRAM_USER.telegramId,
        telegramUsername: DEMO_TELEGRAM_USER.telegramUsername,
        firstName: DEMO_TELEGRAM_USER.firstName,
        lastName: DEMO_TELEGRAM_USER.lastName,
      },
    ],
  });

  // ── the organization, created from an approved request ──
  const organization = await tx.organization.create({
    data: {
      name: "AqStream Demo",
      slug: DEMO_ORGANIZATION_SLUG,
      description: "Демонстрационное сообщество AqStream: митапы, конференции и закрытые встречи для своих.",
      ownerId: users.owner,
      members: {
        create: [
          { userId: users.owner, role: "OWNER", joinedAt: now },
          { userId: users.moderator, role: "MODERATOR", invitedById: users.owner, joinedAt: now },
        ],
      },
    },
    select: { id: true },
  });
  // ── payment methods: Demo (no money moves; on where demo payments are enabled) and Manual, so the paid
  // demo events can be paid for out of the box (docs/payments.md) ──
  await tx.paymentAccount.createMany({
    data: [
      { organizationId: organization.id, provider: "demo", connectedById: users.owner },
      {
        organizationId: organization.id,
        provider: "manual",
        manualInstructions: "Оплата наличными или переводом на входе: назовите код регистрации.",
        connectedById: users.owner,
      },
    ],
  });
  await tx.organizationRequest.create({
    data: {
      userId: users.owner,
      name: "AqStream Demo",
      slug: DEMO_ORGANIZATION_SLUG,
      description: "Хотим проводить митапы и конференции для разработчиков и собирать регистрации в одном месте.",
      status: "APPROVED",
      reviewedById: users.admin,
      reviewComment: "Добро пожаловать на платформу!",
      reviewedAt: now,
      organizationId: organization.id,
      createdAt: new Date(now.getTime() - 2 * 86_400_000),
    },
  });

  const group = await tx.group.create({
    data: {
      organizationId: organization.id,
      name: "Клуб постоянных участников",
      description: "Закрытые встречи для тех, кто ходит на наши события регулярно.",
      inviteCode: generateCode(),
      createdById: users.owner,
      members: {
        create: [
          { userId: users.owner },
          { userId: users.anna, invitedById: users.owner },
          { userId: users.ivan, invitedById: users.owner },
        ],
      },
    },
    select: { id: true },
  });

  const codes = new Set<string>();
  const uniqueCode = () => {
    let code = generateCode();
    while (codes.has(code)) code = generateCode();
    codes.add(code);
    return code;
  };
  const names = new Map<string, { firstName: string; lastName: string; email: string | null }>([
    ...accountKeys.map((key) => [users[key], { firstName: DEMO_ACCOUNTS[key].firstName, lastName: DEMO_ACCOUNTS[key].lastName, email: DEMO_ACCOUNTS[key].email }] as const),
    [alexey.id, { firstName: DEMO_TELEGRAM_USER.firstName, lastName: DEMO_TELEGRAM_USER.lastName, email: null }],
  ]);

  /** Event + ticket types + registrations; counters computed from the registrations. */
  async function event(
    data: Omit<Prisma.EventUncheckedCreateInput, "organizationId" | "organizerId">,
    types: { type: Omit<Prisma.TicketTypeUncheckedCreateInput, "eventId">; registrations: PlannedRegistration[] }[],
  ) {
    const created = await tx.event.create({ data: { ...data, organizationId: organization.id, organizerId: users.owner }, select: { id: true } });
    const ticketTypes: Prisma.TicketTypeCreateManyInput[] = [];
    const registrations: (Prisma.RegistrationCreateManyInput & { id: string })[] = [];
    for (const [index, { type, registrations: planned }] of types.entries()) {
      const ticketTypeId = randomUUID();
      ticketTypes.push({
        sortOrder: index,
        ...type,
        id: ticketTypeId,
        eventId: created.id,
        soldCount: planned.filter((r) => r.status === "CONFIRMED" || r.status === "CHECKED_IN").length,
        reservedCount: planned.filter((r) => r.status === "RESERVED" || r.status === "PENDING").length,
      });
      for (const r of planned) {
        const person = r.userId ? names.get(r.userId) : r.guest;
        if (!person) throw new Error("seed: registration without a person");
        registrations.push({
          id: randomUUID(),
          organizationId: organization.id,
          eventId: created.id,
          ticketTypeId,
          userId: r.userId ?? null,
          status: r.status,
          confirmationCode: uniqueCode(),
          firstName: person.firstName,
          lastName: person.lastName,
          email: person.email,
          priceCents: type.priceCents ?? 0,
          currency: type.currency ?? "RUB",
          expiresAt: r.expiresAt ?? null,
          confirmedAt: r.status === "CONFIRMED" || r.status === "CHECKED_IN" ? (r.createdAt ?? now) : null,
          createdAt: r.createdAt ?? now,
        });
      }
    }
    await tx.ticketType.createMany({ data: ticketTypes });
    await tx.registration.createMany({ data: registrations });
    return { id: created.id, registrations };
  }

  const participants = [users.anna, users.ivan, users.maria, users.pavel, alexey.id];
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

  // 1. A free published meetup.
  await event(
    {
      slug: "frontend-meetup",
      title: "Фронтенд-митап: React 19 и серверные компоненты",
      description: [
        "Вечер практических докладов о современном фронтенде.",
        "",
        "## Программа",
        "",
        "- **19:00** — сбор гостей, кофе",
        "- **19:30** — «Серверные компоненты без магии», Ольга Смирнова",
        "- **20:15** — «Формы на React 19: actions и useOptimistic», Дмитрий Кузнецов",
        "- **21:00** — нетворкинг",
        "",
        "Вход свободный, но нужна регистрация: количество мест ограничено.",
      ].join("\n"),
      status: "PUBLISHED",
      participantsVisibility: "OPEN",
      // Guests may register without an account: the embeddable widget (docs/widget.md) registers in place here.
      settings: { allowGuests: true },
      startsAt: moscow(7, 19),
      endsAt: moscow(7, 22),
      timezone: "Europe/Moscow",
      locationType: "OFFLINE",
      locationAddress: "Москва, ул. Льва Толстого, 16, конференц-зал «Аврора»",
      publishedAt: daysAgo(5),
    },
    [
      {
        type: { name: "Бесплатный вход", description: "Доклады, кофе и нетворкинг.", priceCents: 0, currency: "RUB", quantity: 100 },
        registrations: [users.anna, users.ivan, users.maria].map((userId, i) => ({ userId, status: "CONFIRMED" as const, createdAt: daysAgo(4 - i) })),
      },
    ],
  );

  // 2. A paid published conference: an early-bird type with timed reservations and a standard type.
  const conference = await event(
    {
      slug: "aqstream-conf",
      title: "AqStream Conf: конференция об организации событий",
      description: [
        "Большая конференция для организаторов сообществ, митапов и профессиональных событий.",
        "",
        "## О чём поговорим",
        "",
        "1. Как собрать аудиторию с нуля и удержать её",
        "2. Билеты, брони и возвраты без головной боли",
        "3. Check-in на тысячу человек за 15 минут",
        "",
        "## Формат",
        "",
        "Очно в Москве и онлайн-трансляция для всех участников. Запись докладов — после конференции.",
        "",
        "> Ранние билеты бронируются на 30 минут: успейте оплатить бронь.",
      ].join("\n"),
      status: "PUBLISHED",
      startsAt: moscow(30, 10),
      endsAt: moscow(30, 19),
      timezone: "Europe/Moscow",
      locationType: "HYBRID",
      locationAddress: "Москва, Берсеневская наб., 6, стр. 3",
      locationUrl: "https://stream.aqstream.example/conf",
      publishedAt: daysAgo(10),
    },
    [
      {
        type: {
          name: "Ранняя пташка",
          description: "Полный доступ к конференции по специальной цене. Бронь на 30 минут.",
          priceCents: 150_000,
          currency: "RUB",
          quantity: 50,
          reservationMinutes: 30,
          salesEnd: moscow(14, 23, 59),
        },
        registrations: [{ userId: users.pavel, status: "RESERVED", expiresAt: minutesFromNow(25), createdAt: minutesFromNow(-5) }],
      },
      {
        type: { name: "Стандартный", description: "Полный доступ к конференции и записи докладов.", priceCents: 250_000, currency: "RUB", quantity: 200 },
        registrations: [{ userId: users.maria, status: "CONFIRMED", createdAt: daysAgo(3) }],
      },
    ],
  );
  const paid = conference.registrations.find((r) => r.status === "CONFIRMED");
  if (!paid) throw new Error("seed: the conference has no confirmed registration");
  await tx.payment.create({
    data: {
      organizationId: organization.id,
      registrationId: paid.id,
      provider: "manual",
      status: "COMPLETED",
      amountCents: paid.priceCents ?? 0,
      currency: "RUB",
      idempotencyKey: randomUUID(),
      providerMetadata: { note: "Оплата переводом, отмечена модератором" },
      recordedById: users.moderator,
      completedAt: daysAgo(3),
      createdAt: daysAgo(3),
    },
  });

  // 3. Nearly sold out: 9 of 10 seats taken (5 participants and 4 guests without an account).
  const guests = [
    { firstName: "Елена", lastName: "Васильева", email: "elena.guest@aqstream.example" },
    { firstName: "Сергей", lastName: "Новиков", email: "sergey.guest@aqstream.example" },
    { firstName: "Ольга", lastName: "Фёдорова", email: "olga.guest@aqstream.example" },
    { firstName: "Никита", lastName: "Михайлов", email: "nikita.guest@aqstream.example" },
  ];
  await event(
    {
      slug: "public-speaking-workshop",
      title: "Мастер-класс по публичным выступлениям",
      description: [
        "Практический мастер-класс в маленькой группе: каждый участник выступит и получит разбор.",
        "",
        "## Что будет",
        "",
        "- структура выступления за 10 минут",
        "- работа с голосом и паузами",
        "- ответы на неудобные вопросы",
        "",
        "**Мест всего 10** — группа маленькая, чтобы успеть поработать с каждым.",
      ].join("\n"),
      status: "PUBLISHED",
      startsAt: moscow(14, 18, 30),
      endsAt: moscow(14, 21, 30),
      timezone: "Europe/Moscow",
      locationType: "OFFLINE",
      locationAddress: "Москва, Большая Никитская ул., 24/1, студия 5",
      publishedAt: daysAgo(7),
    },
    [
      {
        type: { name: "Участие", description: "Мастер-класс и материалы.", priceCents: 0, currency: "RUB", quantity: 10 },
        registrations: [
          ...participants.map((userId, i) => ({ userId, status: "CONFIRMED" as const, createdAt: daysAgo(6 - i) })),
          ...guests.map((guest) => ({ guest, status: "CONFIRMED" as const, createdAt: daysAgo(1) })),
        ],
      },
    ],
  );

  // 4. Private to the group: visible to its members only.
  await event(
    {
      slug: "club-case-review",
      title: "Закрытая встреча клуба: разбор кейсов",
      description: [
        "Встреча для участников клуба. Разбираем ваши кейсы по организации событий — присылайте заранее.",
        "",
        "Ссылка на звонок придёт в Telegram за час до начала.",
      ].join("\n"),
      status: "PUBLISHED",
      groupId: group.id,
      startsAt: moscow(10, 20),
      endsAt: moscow(10, 21, 30),
      timezone: "Europe/Moscow",
      locationType: "ONLINE",
      locationUrl: "https://meet.aqstream.example/club",
      publishedAt: daysAgo(2),
    },
    [
      {
        type: { name: "Участник клуба", priceCents: 0, currency: "RUB", quantity: 30 },
        registrations: [{ userId: users.anna, status: "CONFIRMED", createdAt: daysAgo(1) }],
      },
    ],
  );

  // 5. In the past: completed, three participants checked in, one did not come.
  const past = await event(
    {
      slug: "autumn-hackathon",
      title: "Осенний хакатон AqStream",
      description: [
        "Двенадцать часов командной разработки: от идеи до демо.",
        "",
        "## Итоги",
        "",
        "- 🥇 команда «Быстрый check-in»",
        "- 🥈 команда «Лист ожидания 2.0»",
        "",
        "Спасибо всем участникам!",
      ].join("\n"),
      status: "COMPLETED",
      startsAt: moscow(-20, 10),
      endsAt: moscow(-20, 22),
      timezone: "Europe/Moscow",
      locationType: "OFFLINE",
      locationAddress: "Москва, Кутузовский пр., 12, коворкинг «Точка»",
      publishedAt: daysAgo(45),
      completedAt: moscow(-19, 10),
    },
    [
      {
        type: { name: "Участник хакатона", priceCents: 0, currency: "RUB", quantity: 50 },
        registrations: [
          ...[users.anna, users.ivan, users.pavel].map((userId) => ({ userId, status: "CHECKED_IN" as const, createdAt: daysAgo(30) })),
          { userId: users.maria, status: "CONFIRMED", createdAt: daysAgo(29) },
        ],
      },
    ],
  );
  const checkedIn = past.registrations.filter((r) => r.status === "CHECKED_IN");
  await tx.checkIn.createMany({
    data: checkedIn.map((r, i) => ({
      registrationId: r.id,
      eventId: past.id,
      checkedInById: users.moderator,
      method: i === 2 ? ("MANUAL" as const) : ("QR_SCAN" as const),
      checkedInAt: moscow(-20, 9, 40 + i * 5),
      createdAt: moscow(-20, 9, 40 + i * 5),
    })),
  });
}

function formatLogins(): string {
  const rows = Object.values(DEMO_ACCOUNTS).map((a) => `  ${a.role.padEnd(28)} ${a.email.padEnd(30)} ${DEMO_PASSWORD}`);
  return [
    "──────────────── AqStream demo logins ────────────────",
    `  ${"Роль".padEnd(28)} ${"Email".padEnd(30)} Пароль`,
    ...rows,
    `  ${DEMO_TELEGRAM_USER.role.padEnd(28)} Telegram id ${DEMO_TELEGRAM_USER.telegramId} (@${DEMO_TELEGRAM_USER.telegramUsername}), без пароля`,
    `  Организация: AqStream Demo (/${DEMO_ORGANIZATION_SLUG})`,
    "──────────────────────────────────────────────────────",
  ].join("\n");
}

/** Seeds the database at DATABASE_URL, prints the demo logins, disconnects. */
export async function main(): Promise<SeedResult> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const started = performance.now();
  const client = createPrismaClient(url, { max: 2 });
  try {
    const result = await seed(client);
    const ms = Math.round(performance.now() - started);
    console.log(result.created ? `Demo data created in ${ms} ms.` : `Demo data already present (${ms} ms).`);
    console.log(result.logins);
    return result;
  } finally {
    await client.$disconnect();
  }
}

const executedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (executedDirectly) {
  main().catch((error: unknown) => {
    console.error("Seeding failed:", error);
    process.exitCode = 1;
  });
}
