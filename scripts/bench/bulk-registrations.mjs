// Many registrations of one event in one statement (generate_series): the 100,000-registration event of
// bench:growth and the search-plan test (tests/integration/registrations-search.test.ts). Guests with
// lower-case unique emails and valid unique confirmation codes (8 characters of the code alphabet: the
// number `offset + i` in base 31), names drawn from fixed lists (so a name fragment matches a realistic
// share of the rows), every 20th registration CANCELLED, the rest CONFIRMED; the ticket types'
// sold_count is raised by the CONFIRMED rows (the seat counters always equal the rows).

export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export const FIRST_NAMES = [
  "Анна", "Борис", "Вера", "Глеб", "Дарья", "Егор", "Жанна", "Зоя", "Иван", "Ксения", "Лев", "Мария", "Никита", "Ольга",
  "Павел", "Роман", "Светлана", "Тимур", "Ульяна", "Фёдор", "Юлия", "Яна", "Alice", "Bob", "Carol", "David", "Emma",
  "Frank", "Grace", "Henry", "Irene", "Jack", "Kate", "Liam", "Mia", "Noah", "Olivia", "Peter", "Quinn", "Ruby",
];

export const LAST_NAMES = [
  "Иванов", "Смирнова", "Кузнецов", "Попова", "Васильев", "Петрова", "Соколов", "Михайлова", "Новиков", "Фёдорова",
  "Морозов", "Волкова", "Алексеев", "Лебедева", "Семёнов", "Егорова", "Павлов", "Козлова", "Степанов", "Николаева",
  "Орлов", "Андреева", "Макаров", "Захарова", "Зайцев", "Соловьёва", "Борисов", "Яковлева", "Григорьев", "Романова",
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez",
  "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez",
  "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
];

/**
 * Inserts `count` registrations of `eventId` (organization `organizationId`) spread over `ticketTypeIds`.
 * `offset` keeps codes and emails unique across calls (use a different one per call on one database).
 * @param {{ query: (text: string, values?: unknown[]) => Promise<unknown> }} client a pg client or pool
 * @param {{ organizationId: string; eventId: string; ticketTypeIds: string[]; count: number; offset?: number }} options
 */
export async function insertBulkRegistrations(client, { organizationId, eventId, ticketTypeIds, count, offset = 0 }) {
  await client.query(
    `WITH ins AS (
       INSERT INTO registrations (id, tenant_id, event_id, ticket_type_id, status, confirmation_code, first_name, last_name,
                                  email, confirmed_at, cancelled_at, created_at, updated_at)
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, ($3::uuid[])[1 + i % cardinality($3::uuid[])],
              (CASE WHEN i % 20 = 0 THEN 'CANCELLED' ELSE 'CONFIRMED' END)::"RegistrationStatus",
              (SELECT string_agg(substr($6, ((($5::bigint + i) / power(31, k)::bigint) % 31)::int + 1, 1), '' ORDER BY k)
                 FROM generate_series(0, 7) k),
              ($7::text[])[1 + (i * 7) % cardinality($7::text[])],
              ($8::text[])[1 + (i / 3) % cardinality($8::text[])],
              'guest' || ($5::bigint + i) || '@example.test',
              now(), CASE WHEN i % 20 = 0 THEN now() END, now() - i * interval '1 second', now()
         FROM generate_series(1, $4::int) i
       RETURNING ticket_type_id, status
     )
     UPDATE ticket_types t SET sold_count = t.sold_count + n.sold
       FROM (SELECT ticket_type_id, count(*) FILTER (WHERE status = 'CONFIRMED')::int AS sold FROM ins GROUP BY ticket_type_id) n
      WHERE t.id = n.ticket_type_id`,
    [organizationId, eventId, ticketTypeIds, count, offset, CODE_ALPHABET, FIRST_NAMES, LAST_NAMES],
  );
}
