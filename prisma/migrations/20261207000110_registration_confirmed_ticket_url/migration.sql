-- Issue 15 (email channel): registration.confirmed gets the optional variable ticketUrl (the guest's
-- private link or the account's ticket page: "Your ticket: <a href>"), lib/notifications/system-templates.ts.
-- A stored standard text (unedited) becomes the new one; an admin's own text is kept (it may use the new
-- variable now). Email subjects of rows made before subjects existed are filled by ensureSystemTemplates.
UPDATE "notification_templates"
   SET "body" = $aq$✅ <b>Вы зарегистрированы!</b>

{firstName}, ждём вас на «<b>{eventTitle}</b>».

📅 {eventDate}
{eventLocation, select, empty {} other {📍 {eventLocation}
}}🎟 {ticketTypeName}
🔑 Код билета: <code>{confirmationCode}</code>

Покажите этот QR-код на входе.{eventUrl, select, empty {} other { <a href="{eventUrl}">Страница события</a>}}{ticketUrl, select, empty {} other {
Ваш билет: <a href="{ticketUrl}">открыть билет</a>}}$aq$,
       "body_en" = $aq$✅ <b>You're registered!</b>

{firstName}, see you at "<b>{eventTitle}</b>".

📅 {eventDate}
{eventLocation, select, empty {} other {📍 {eventLocation}
}}🎟 {ticketTypeName}
🔑 Ticket code: <code>{confirmationCode}</code>

Show this QR code at the entrance.{eventUrl, select, empty {} other { <a href="{eventUrl}">Event page</a>}}{ticketUrl, select, empty {} other {
Your ticket: <a href="{ticketUrl}">open the ticket</a>}}$aq$,
       "updated_at" = now()
 WHERE "code" = 'registration.confirmed' AND "is_system"
   AND "body" = $aq$✅ <b>Вы зарегистрированы!</b>

{firstName}, ждём вас на «<b>{eventTitle}</b>».

📅 {eventDate}
{eventLocation, select, empty {} other {📍 {eventLocation}
}}🎟 {ticketTypeName}
🔑 Код билета: <code>{confirmationCode}</code>

Покажите этот QR-код на входе.{eventUrl, select, empty {} other { <a href="{eventUrl}">Страница события</a>}}$aq$
   AND "body_en" = $aq$✅ <b>You're registered!</b>

{firstName}, see you at "<b>{eventTitle}</b>".

📅 {eventDate}
{eventLocation, select, empty {} other {📍 {eventLocation}
}}🎟 {ticketTypeName}
🔑 Ticket code: <code>{confirmationCode}</code>

Show this QR code at the entrance.{eventUrl, select, empty {} other { <a href="{eventUrl}">Event page</a>}}$aq$;
UPDATE "notification_templates"
   SET "variables" = "variables" || $aq$[{"name":"ticketUrl","description":"Ссылка на билет: личная ссылка гостя или страница билета в кабинете (может быть пустой)","descriptionEn":"Link to the ticket: the guest's private link or the ticket page in the account (may be empty)"}]$aq$::jsonb
 WHERE "code" = 'registration.confirmed' AND "is_system" AND jsonb_typeof("variables") = 'array'
   AND NOT "variables" @> '[{"name": "ticketUrl"}]'::jsonb;
