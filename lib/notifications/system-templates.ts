// The standard Telegram templates (domain model: NotificationTemplate) in Russian and English.
// Bodies are ICU messages over Telegram HTML, rendered by the one Telegram formatter
// (lib/telegram/format.ts; docs/notifications.md): {var} is escaped, optional parts are selects
// ({eventUrl, select, empty {} other {…}}). Every variable is documented, and
// validateTemplateBody refuses any other. ensureSystemTemplates() creates the missing ones and never
// overwrites a template an admin has edited. Delivery falls back to these definitions when a row is
// missing from the database, so a fresh install sends sensible messages before any seeding.
import "server-only";
import type { DbClient } from "@/lib/db";

export interface TemplateVariableDoc {
  name: string;
  /** Russian description (shown in the admin editor). */
  description: string;
  descriptionEn: string;
}

export interface SystemTemplate {
  code: string;
  /** The email's subject in Russian: ICU, plain text, one line. */
  subject: string;
  subjectEn: string;
  /** Russian body. */
  body: string;
  /** English body. */
  bodyEn: string;
  variables: TemplateVariableDoc[];
  /** Sent as a photo (e.g. the QR ticket) with the text as its caption: keep it under 1024 characters. */
  photo?: string;
}

const v = (name: string, description: string, descriptionEn: string): TemplateVariableDoc => ({ name, description, descriptionEn });

const firstName = v("firstName", "Имя получателя", "Recipient's first name");
const eventTitle = v("eventTitle", "Название события", "Event title");
const eventDate = v("eventDate", "Дата и время начала в часовом поясе события (dateVar)", "Start date and time in the event's time zone (dateVar)");
const eventLocation = v("eventLocation", "Место проведения или «Онлайн» (может быть пустым)", "Venue or \"Online\" (may be empty)");
const eventUrl = v("eventUrl", "Ссылка на страницу события", "Link to the event page");
const confirmationCode = v("confirmationCode", "8-символьный код билета", "8-character ticket code");
const ticketTypeName = v("ticketTypeName", "Тип билета", "Ticket type");
const cancellationReason = v("cancellationReason", "Причина отмены (может быть пустой)", "Reason for the cancellation (may be empty)");
const organizationName = v("organizationName", "Название организации", "Organization name");
const ticketUrl = v(
  "ticketUrl",
  "Ссылка на билет: личная ссылка гостя или страница билета в кабинете (может быть пустой)",
  "Link to the ticket: the guest's private link or the ticket page in the account (may be empty)",
);

export const SYSTEM_TEMPLATES: readonly SystemTemplate[] = [
  {
    code: "user.welcome",
    subject: "Добро пожаловать в AqStream, {firstName}!",
    subjectEn: "Welcome to AqStream, {firstName}!",
    body: `👋 Привет, {firstName}!

Это бот <b>AqStream</b>. Сюда будут приходить билеты с QR-кодом, напоминания о событиях и важные изменения.
{appUrl, select, empty {} other {Ваши регистрации всегда под рукой в личном кабинете: {appUrl}}}`,
    bodyEn: `👋 Hi, {firstName}!

This is the <b>AqStream</b> bot. Your tickets with QR codes, event reminders and important updates will arrive here.
{appUrl, select, empty {} other {All your registrations are in your account: {appUrl}}}`,
    variables: [firstName, v("appUrl", "Ссылка на личный кабинет", "Link to the user's account")],
  },
  {
    code: "registration.confirmed",
    subject: "Ваш билет: {eventTitle}",
    subjectEn: "Your ticket: {eventTitle}",
    photo: "ticket",
    body: `✅ <b>Вы зарегистрированы!</b>

{firstName}, ждём вас на «<b>{eventTitle}</b>».

📅 {eventDate}
{eventLocation, select, empty {} other {📍 {eventLocation}
}}🎟 {ticketTypeName}
🔑 Код билета: <code>{confirmationCode}</code>

Покажите этот QR-код на входе.{eventUrl, select, empty {} other { <a href="{eventUrl}">Страница события</a>}}{ticketUrl, select, empty {} other {
Ваш билет: <a href="{ticketUrl}">открыть билет</a>}}`,
    bodyEn: `✅ <b>You're registered!</b>

{firstName}, see you at "<b>{eventTitle}</b>".

📅 {eventDate}
{eventLocation, select, empty {} other {📍 {eventLocation}
}}🎟 {ticketTypeName}
🔑 Ticket code: <code>{confirmationCode}</code>

Show this QR code at the entrance.{eventUrl, select, empty {} other { <a href="{eventUrl}">Event page</a>}}{ticketUrl, select, empty {} other {
Your ticket: <a href="{ticketUrl}">open the ticket</a>}}`,
    variables: [firstName, eventTitle, eventDate, eventLocation, ticketTypeName, confirmationCode, eventUrl, ticketUrl],
  },
  {
    code: "registration.cancelled",
    subject: "Регистрация отменена: {eventTitle}",
    subjectEn: "Registration cancelled: {eventTitle}",
    body: `❌ <b>Регистрация отменена</b>

{firstName}, ваша регистрация на «{eventTitle}» ({eventDate}) отменена{cancelledByOrganizer, select, empty {} other { организатором}}.
{cancellationReason, select, empty {} other {Причина: {cancellationReason}
}}{refundAmount, select, empty {} other {💸 Вернётся: <b>{refundAmount}</b>. {refundByHand, select, empty {Деньги придут тем же способом, которым вы платили, обычно в течение нескольких дней.} other {Организатор вернёт их лично.}}
}}{eventUrl, select, empty {} other {Если это ошибка, зарегистрируйтесь снова: <a href="{eventUrl}">страница события</a>}}`,
    bodyEn: `❌ <b>Registration cancelled</b>

{firstName}, your registration for "{eventTitle}" ({eventDate}) has been cancelled{cancelledByOrganizer, select, empty {} other { by the organizer}}.
{cancellationReason, select, empty {} other {Reason: {cancellationReason}
}}{refundAmount, select, empty {} other {💸 Coming back to you: <b>{refundAmount}</b>. {refundByHand, select, empty {The money returns the way you paid, usually within a few days.} other {The organizer will return it in person.}}
}}{eventUrl, select, empty {} other {If this is a mistake, you can register again: <a href="{eventUrl}">event page</a>}}`,
    variables: [
      firstName,
      eventTitle,
      eventDate,
      v("cancelledByOrganizer", "true, если отменил организатор", "true when the organizer cancelled"),
      cancellationReason,
      eventUrl,
      v("refundAmount", "Сколько вернётся, с валютой (пусто — ничего)", "What comes back, with currency (empty = nothing)"),
      v("refundByHand", "true, если деньги вернёт организатор лично (оплата наличными или переводом)", "true when the organizer returns the money in person (cash or transfer payment)"),
    ],
  },
  {
    code: "reservation.expired",
    subject: "Бронь истекла: {eventTitle}",
    subjectEn: "Your reservation has expired: {eventTitle}",
    body: `⌛ <b>Бронь истекла</b>

{firstName}, время на подтверждение брони «{ticketTypeName}» на «{eventTitle}» вышло, и место вернулось в продажу.
{eventUrl, select, empty {} other {Если билеты ещё есть, вы можете забронировать снова: <a href="{eventUrl}">страница события</a>}}`,
    bodyEn: `⌛ <b>Your reservation has expired</b>

{firstName}, the time to complete your "{ticketTypeName}" reservation for "{eventTitle}" ran out and the seat went back on sale.
{eventUrl, select, empty {} other {If tickets are still available, you can book again: <a href="{eventUrl}">event page</a>}}`,
    variables: [firstName, eventTitle, ticketTypeName, eventUrl],
  },
  {
    code: "event.reminder",
    subject: "Напоминание: {eventTitle}, {eventDate}",
    subjectEn: "Reminder: {eventTitle}, {eventDate}",
    body: `⏰ <b>Напоминание</b>

{firstName}, скоро «<b>{eventTitle}</b>».

📅 {eventDate}
{eventLocation, select, empty {} other {📍 {eventLocation}
}}{confirmationCode, select, empty {} other {🔑 Код билета: <code>{confirmationCode}</code>
}}{eventUrl, select, empty {} other {<a href="{eventUrl}">Подробности события</a>}}`,
    bodyEn: `⏰ <b>Reminder</b>

{firstName}, "<b>{eventTitle}</b>" is coming up.

📅 {eventDate}
{eventLocation, select, empty {} other {📍 {eventLocation}
}}{confirmationCode, select, empty {} other {🔑 Ticket code: <code>{confirmationCode}</code>
}}{eventUrl, select, empty {} other {<a href="{eventUrl}">Event details</a>}}`,
    variables: [firstName, eventTitle, eventDate, eventLocation, confirmationCode, eventUrl],
  },
  {
    code: "event.changed",
    subject: "Событие изменилось: {eventTitle}",
    subjectEn: "Event updated: {eventTitle}",
    body: `✏️ <b>Событие изменилось</b>

{firstName}, организатор обновил «<b>{eventTitle}</b>».
{changeSummary, select, empty {} other {Что изменилось: {changeSummary}
}}📅 {eventDate}
{eventLocation, select, empty {} other {📍 {eventLocation}
}}{eventUrl, select, empty {} other {<a href="{eventUrl}">Актуальная информация</a>}}`,
    bodyEn: `✏️ <b>Event updated</b>

{firstName}, the organizer has updated "<b>{eventTitle}</b>".
{changeSummary, select, empty {} other {What changed: {changeSummary}
}}📅 {eventDate}
{eventLocation, select, empty {} other {📍 {eventLocation}
}}{eventUrl, select, empty {} other {<a href="{eventUrl}">Up-to-date details</a>}}`,
    variables: [
      firstName,
      eventTitle,
      eventDate,
      eventLocation,
      v("changeSummary", "Что изменилось, например «дата и место»", "What changed, e.g. \"date and venue\""),
      eventUrl,
    ],
  },
  {
    code: "event.cancelled",
    subject: "Событие отменено: {eventTitle}",
    subjectEn: "Event cancelled: {eventTitle}",
    body: `🚫 <b>Событие отменено</b>

{firstName}, к сожалению, «<b>{eventTitle}</b>» ({eventDate}) не состоится. Ваша регистрация отменена.
{cancellationReason, select, empty {} other {Причина: {cancellationReason}
}}Приносим извинения за неудобства.`,
    bodyEn: `🚫 <b>Event cancelled</b>

{firstName}, unfortunately "<b>{eventTitle}</b>" ({eventDate}) will not take place. Your registration has been cancelled.
{cancellationReason, select, empty {} other {Reason: {cancellationReason}
}}We apologise for the inconvenience.`,
    variables: [firstName, eventTitle, eventDate, cancellationReason, eventUrl],
  },
  {
    code: "waitlist.available",
    subject: "Освободилось место: {eventTitle}",
    subjectEn: "A seat is available: {eventTitle}",
    body: `🎉 <b>Освободилось место!</b>

{firstName}, на «<b>{eventTitle}</b>» ({eventDate}) появилось место{ticketTypeName, select, empty {} other { «{ticketTypeName}»}}.

Оно закреплено за вами до {offerExpiresAt}. Успейте подтвердить: <a href="{claimUrl}">занять место</a>`,
    bodyEn: `🎉 <b>A seat is available!</b>

{firstName}, a{ticketTypeName, select, empty {} other { "{ticketTypeName}"}} seat has opened up for "<b>{eventTitle}</b>" ({eventDate}).

It is held for you until {offerExpiresAt}. Claim it in time: <a href="{claimUrl}">take the seat</a>`,
    variables: [
      firstName,
      eventTitle,
      eventDate,
      ticketTypeName,
      v("offerExpiresAt", "До какого момента место закреплено (dateVar)", "When the offer expires (dateVar)"),
      v("claimUrl", "Ссылка, чтобы занять место", "Link to claim the seat"),
    ],
  },
  {
    code: "payment.receipt",
    subject: "Оплата получена: {eventTitle}",
    subjectEn: "Payment received: {eventTitle}",
    body: `🧾 <b>Оплата получена</b>

{firstName}, спасибо! Мы получили оплату за «{eventTitle}».

🎟 {ticketTypeName}
💳 Сумма: <b>{amount}</b>
{paidAt, select, empty {} other {🕒 {paidAt}
}}{receiptNumber, select, empty {} other {№ чека: <code>{receiptNumber}</code>
}}{eventUrl, select, empty {} other {<a href="{eventUrl}">Страница события</a>}}`,
    bodyEn: `🧾 <b>Payment received</b>

{firstName}, thank you! We have received your payment for "{eventTitle}".

🎟 {ticketTypeName}
💳 Amount: <b>{amount}</b>
{paidAt, select, empty {} other {🕒 {paidAt}
}}{receiptNumber, select, empty {} other {Receipt no.: <code>{receiptNumber}</code>
}}{eventUrl, select, empty {} other {<a href="{eventUrl}">Event page</a>}}`,
    variables: [
      firstName,
      eventTitle,
      ticketTypeName,
      v("amount", "Сумма с валютой, например «1 500 ₽»", "Amount with currency, e.g. \"RUB 1,500\""),
      v("paidAt", "Когда оплачено (dateVar)", "When it was paid (dateVar)"),
      v("receiptNumber", "Номер чека или платежа", "Receipt or payment number"),
      eventUrl,
    ],
  },
  {
    code: "payment.late_refunded",
    subject: "Оплата возвращена: {eventTitle}",
    subjectEn: "Payment refunded: {eventTitle}",
    body: `↩️ <b>Оплата возвращена</b>

{firstName}, ваша оплата за «{eventTitle}» пришла, когда бронь уже закончилась, и место не удалось сохранить. Мы вернём всю сумму: <b>{amount}</b>.
{refundReason, select, empty {} other {{refundReason}
}}Деньги придут тем же способом, которым вы платили; срок зависит от банка.
{eventUrl, select, empty {} other {<a href="{eventUrl}">Страница события</a>}}`,
    bodyEn: `↩️ <b>Payment refunded</b>

{firstName}, your payment for "{eventTitle}" arrived after your hold had ended, and the seat could not be kept. We are refunding the full amount: <b>{amount}</b>.
{refundReason, select, empty {} other {{refundReason}
}}The money goes back the way you paid; how long it takes depends on your bank.
{eventUrl, select, empty {} other {<a href="{eventUrl}">Event page</a>}}`,
    variables: [
      firstName,
      eventTitle,
      v("amount", "Сумма возврата с валютой", "Refund amount with currency"),
      v("refundReason", "Почему оплата не принята (может быть пустой)", "Why the payment was not accepted (may be empty)"),
      eventUrl,
    ],
  },
  {
    code: "payment.remainder_reminder",
    subject: "Осталось доплатить {remainingAmount}: {eventTitle}",
    subjectEn: "Balance due, {remainingAmount}: {eventTitle}",
    body: `⏰ <b>Осталось доплатить</b>

{firstName}, за «{eventTitle}» ({eventDate}) осталось доплатить <b>{remainingAmount}</b> до {dueDate}.
{ticketUrl, select, empty {} other {<a href="{ticketUrl}">Оплатить</a>}}`,
    bodyEn: `⏰ <b>Balance due</b>

{firstName}, the balance of <b>{remainingAmount}</b> for "{eventTitle}" ({eventDate}) is due by {dueDate}.
{ticketUrl, select, empty {} other {<a href="{ticketUrl}">Pay now</a>}}`,
    variables: [
      firstName,
      eventTitle,
      eventDate,
      v("remainingAmount", "Сколько осталось доплатить, с валютой", "The balance due, with currency"),
      v("dueDate", "Срок доплаты (dateVar)", "Due date (dateVar)"),
      v("ticketUrl", "Ссылка на билет, где можно доплатить", "Link to the ticket page where the balance is paid"),
    ],
  },
  {
    code: "organization.request.submitted",
    subject: "Новая заявка на организацию: {organizationName}",
    subjectEn: "New organization request: {organizationName}",
    body: `🏢 <b>Новая заявка на организацию</b>

{firstName}, {requesterName} просит создать организацию «<b>{organizationName}</b>»{organizationSlug, select, empty {} other { (<code>{organizationSlug}</code>)}}.
{reviewUrl, select, empty {} other {<a href="{reviewUrl}">Рассмотреть заявку</a>}}`,
    bodyEn: `🏢 <b>New organization request</b>

{firstName}, {requesterName} asks to create the organization "<b>{organizationName}</b>"{organizationSlug, select, empty {} other { (<code>{organizationSlug}</code>)}}.
{reviewUrl, select, empty {} other {<a href="{reviewUrl}">Review the request</a>}}`,
    variables: [
      v("firstName", "Имя администратора платформы (получателя)", "First name of the platform admin (recipient)"),
      v("requesterName", "Кто подал заявку", "Who submitted the request"),
      organizationName,
      v("organizationSlug", "Адрес организации (slug)", "Organization slug"),
      v("reviewUrl", "Ссылка на заявку в админке", "Link to the request in the admin area"),
    ],
  },
  {
    code: "organization.request.approved",
    subject: "Заявка одобрена: {organizationName}",
    subjectEn: "Request approved: {organizationName}",
    body: `🎉 <b>Заявка одобрена</b>

{firstName}, организация «<b>{organizationName}</b>» создана, вы — её владелец. Можно создавать события и приглашать модераторов.
{organizationUrl, select, empty {} other {<a href="{organizationUrl}">Перейти к организации</a>}}`,
    bodyEn: `🎉 <b>Request approved</b>

{firstName}, the organization "<b>{organizationName}</b>" has been created and you are its owner. You can now create events and invite moderators.
{organizationUrl, select, empty {} other {<a href="{organizationUrl}">Go to the organization</a>}}`,
    variables: [firstName, organizationName, v("organizationUrl", "Ссылка на организацию в кабинете", "Link to the organization in the dashboard")],
  },
  {
    code: "organization.request.rejected",
    subject: "Заявка отклонена: {organizationName}",
    subjectEn: "Request declined: {organizationName}",
    body: `😔 <b>Заявка отклонена</b>

{firstName}, заявка на организацию «{organizationName}» отклонена.
{rejectionReason, select, empty {} other {Комментарий: {rejectionReason}
}}{requestUrl, select, empty {} other {Вы можете исправить данные и подать новую заявку: <a href="{requestUrl}">новая заявка</a>}}`,
    bodyEn: `😔 <b>Request declined</b>

{firstName}, your request for the organization "{organizationName}" has been declined.
{rejectionReason, select, empty {} other {Comment: {rejectionReason}
}}{requestUrl, select, empty {} other {You can correct the details and submit a new request: <a href="{requestUrl}">new request</a>}}`,
    variables: [
      firstName,
      organizationName,
      v("rejectionReason", "Комментарий администратора", "The admin's comment"),
      v("requestUrl", "Ссылка на форму новой заявки", "Link to the request form"),
    ],
  },
  {
    code: "event.reminder_morning",
    subject: "Сегодня: {eventTitle}",
    subjectEn: "Today: {eventTitle}",
    body: `🔔 <b>Сегодня</b>

{firstName}, сегодня «<b>{eventTitle}</b>».

📅 {eventDate}
{onlineUrl, select, empty {} other {🔗 Ссылка для подключения: <a href="{onlineUrl}">{onlineUrl}</a>
}}{ticketUrl, select, empty {} other {🎫 <a href="{ticketUrl}">Ваш билет</a>
}}{eventUrl, select, empty {} other {<a href="{eventUrl}">Страница события</a>}}`,
    bodyEn: `🔔 <b>Today</b>

{firstName}, "<b>{eventTitle}</b>" is today.

📅 {eventDate}
{onlineUrl, select, empty {} other {🔗 The link to join: <a href="{onlineUrl}">{onlineUrl}</a>
}}{ticketUrl, select, empty {} other {🎫 <a href="{ticketUrl}">Your ticket</a>
}}{eventUrl, select, empty {} other {<a href="{eventUrl}">Event page</a>}}`,
    variables: [
      firstName,
      eventTitle,
      eventDate,
      v("onlineUrl", "Ссылка для подключения к онлайн-событию", "The link to join the online event"),
      eventUrl,
      ticketUrl,
    ],
  },
  {
    code: "refund.completed",
    subject: "Деньги возвращены: {eventTitle}",
    subjectEn: "Refund completed: {eventTitle}",
    body: `💸 <b>Деньги возвращены</b>

{firstName}, возврат за «{eventTitle}» выполнен: <b>{amount}</b>.
Деньги придут тем же способом, которым вы платили; срок зачисления зависит от банка.
{ticketUrl, select, empty {} other {<a href="{ticketUrl}">Ваш билет</a>}}`,
    bodyEn: `💸 <b>Refund completed</b>

{firstName}, your refund for "{eventTitle}" has been made: <b>{amount}</b>.
The money goes back the way you paid; how long it takes depends on your bank.
{ticketUrl, select, empty {} other {<a href="{ticketUrl}">Your ticket</a>}}`,
    variables: [firstName, eventTitle, v("amount", "Сумма возврата с валютой", "Refund amount with currency"), ticketUrl],
  },
  {
    code: "organizer.message",
    subject: "{subject} — {eventTitle}",
    subjectEn: "{subject} — {eventTitle}",
    body: `✉️ Сообщение от {organizationName} о «{eventTitle}»

<b>{subject}</b>

{messageBody}

{channel, select, email {} other {<i>Не хотите получать сообщения от {organizationName}? Отключить: {muteUrl}</i>}}`,
    bodyEn: `✉️ Message from {organizationName} about "{eventTitle}"

<b>{subject}</b>

{messageBody}

{channel, select, email {} other {<i>Don't want messages from {organizationName}? Mute: {muteUrl}</i>}}`,
    variables: [
      organizationName,
      eventTitle,
      v("subject", "Тема сообщения организатора", "The organizer's subject line"),
      v("messageBody", "Текст сообщения (оформление организатора)", "The message text (the organizer's formatting)"),
      v("muteUrl", "Ссылка, чтобы отключить сообщения организации", "Link to mute the organization's messages"),
      v("muteOneClickUrl", "Адрес отписки в один клик (List-Unsubscribe)", "One-click unsubscribe address (List-Unsubscribe)"),
      v("channel", "Канал доставки: telegram или email (в письме ссылка отписки — в подвале)", "Delivery channel: telegram or email (the email has the mute link in its footer)"),
    ],
  },
];

export type SystemTemplateCode =
  | "user.welcome"
  | "registration.confirmed"
  | "registration.cancelled"
  | "reservation.expired"
  | "event.reminder"
  | "event.changed"
  | "event.cancelled"
  | "waitlist.available"
  | "payment.receipt"
  | "payment.late_refunded"
  | "payment.remainder_reminder"
  | "organization.request.submitted"
  | "organization.request.approved"
  | "organization.request.rejected"
  | "event.reminder_morning"
  | "refund.completed"
  | "organizer.message";

export function systemTemplate(code: string): SystemTemplate | undefined {
  return SYSTEM_TEMPLATES.find((t) => t.code === code);
}

/**
 * Creates the system templates that are missing (isSystem true) and gives existing rows without a
 * subject (created before templates had one) the system subjects. Texts an admin wrote — a body, a
 * subject — are never overwritten.
 */
export async function ensureSystemTemplates(tx: DbClient): Promise<{ created: number; subjectsFilled: number }> {
  const result = await tx.notificationTemplate.createMany({
    data: SYSTEM_TEMPLATES.map((t) => ({
      code: t.code,
      subject: t.subject,
      subjectEn: t.subjectEn,
      body: t.body,
      bodyEn: t.bodyEn,
      variables: t.variables.map((x) => ({ name: x.name, description: x.description, descriptionEn: x.descriptionEn })),
      isSystem: true,
    })),
    skipDuplicates: true,
  });
  const subjectsFilled = await tx.$executeRaw`
    UPDATE notification_templates t
       SET subject = v.subject, subject_en = CASE WHEN t.subject_en = '' THEN v.subject_en ELSE t.subject_en END
      FROM unnest(${SYSTEM_TEMPLATES.map((x) => x.code)}::text[], ${SYSTEM_TEMPLATES.map((x) => x.subject)}::text[],
                  ${SYSTEM_TEMPLATES.map((x) => x.subjectEn)}::text[]) AS v(code, subject, subject_en)
     WHERE t.code = v.code AND t.subject = ''`;
  return { created: result.count, subjectsFilled };
}
