// Bot texts in Russian and English. Every message is sent with parse_mode "HTML": values are escaped
// here (escapeHtml), so a title like "<b>A & B</b>" never breaks delivery (the original's Markdown
// templates did). Pure module: no server imports, unit-testable.
import type { Locale } from "@/lib/i18n/config";

export type BotLocale = Locale;

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** Shortens a value to `max` characters (Telegram captions are limited to 1024). */
export function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, Math.max(0, max - 1))}…`;
}

/** Registration statuses (the Prisma enum, repeated here to keep this module pure). */
export type ListedStatus = "CONFIRMED" | "RESERVED" | "PENDING" | "CANCELLED" | "CHECKED_IN" | "EXPIRED";

export type TicketCaption = {
  title: string;
  date: string;
  location: string | null;
  ticketType: string;
  code: string;
  status: ListedStatus;
  /** Formatted end of a RESERVED hold. */
  reservedUntil?: string | null;
};

export type BotTexts = {
  languageName: string;
  welcomeNew: (v: { appUrl: string }) => string;
  welcomeBack: (v: { name: string }) => string;
  help: (v: { appUrl: string }) => string;
  unknownCommand: () => string;
  unknownPayload: () => string;
  notText: () => string;
  error: () => string;
  staleButton: () => string;

  loginPrompt: (v: { appHost: string; device: string | null; minutes: number }) => string;
  loginConfirmButton: string;
  loginConfirmed: (v: { name: string; created: boolean }) => string;
  loginConfirmedToast: string;
  loginInvalid: () => string;
  loginExpired: () => string;
  loginUsed: () => string;
  loginOtherAccount: () => string;

  linkDone: (v: { name: string }) => string;
  linkAlready: () => string;
  linkInvalid: () => string;
  linkExpired: () => string;
  linkUsed: () => string;
  linkTakenElsewhere: () => string;
  linkAccountHasOther: () => string;

  inviteAccepted: (v: { organization: string; created: boolean; appUrl: string }) => string;
  inviteAlreadyMember: (v: { organization: string }) => string;
  inviteInvalid: () => string;
  inviteExpired: () => string;
  inviteUsed: () => string;
  inviteRevoked: () => string;

  ticketsNotLinked: (v: { appUrl: string }) => string;
  ticketsNone: (v: { appUrl: string }) => string;
  ticketsHeader: (v: { count: number }) => string;
  ticketsMore: (v: { shown: number; url: string }) => string;
  ticketCaption: (v: TicketCaption) => string;
  ticketNotFound: () => string;
  online: string;

  langPrompt: () => string;
  langSet: () => string;
  langSetGuest: () => string;
};

const STATUS_RU: Record<ListedStatus, string> = {
  CONFIRMED: "подтверждён",
  RESERVED: "забронирован, ожидает оплаты",
  PENDING: "ожидает оплаты",
  CANCELLED: "отменён",
  CHECKED_IN: "использован (вход отмечен)",
  EXPIRED: "бронь истекла",
};
const STATUS_EN: Record<ListedStatus, string> = {
  CONFIRMED: "confirmed",
  RESERVED: "reserved, awaiting payment",
  PENDING: "awaiting payment",
  CANCELLED: "cancelled",
  CHECKED_IN: "used (checked in)",
  EXPIRED: "reservation expired",
};

const ru: BotTexts = {
  languageName: "Русский",
  welcomeNew: ({ appUrl }) =>
    "Привет! Я бот <b>AqStream</b>.\n\n" +
    "Здесь приходят билеты с QR-кодом, напоминания о событиях и подтверждение входа на сайт.\n\n" +
    `Чтобы получать уведомления, войдите на сайте через Telegram или привяжите Telegram в профиле: ${escapeHtml(appUrl)}\n\n` +
    "/help — что я умею",
  welcomeBack: ({ name }) =>
    `С возвращением, ${escapeHtml(name)}! Уведомления AqStream будут приходить сюда.\n\n/tickets — ваши билеты\n/help — помощь`,
  help: ({ appUrl }) =>
    "<b>Команды</b>\n" +
    "/tickets — ближайшие билеты с QR-кодами\n" +
    "/lang — язык сообщений\n" +
    "/help — эта справка\n\n" +
    "Через бота можно войти на сайт, привязать Telegram к аккаунту и принять приглашение в организацию — " +
    `по ссылкам с сайта ${escapeHtml(appUrl)}`,
  unknownCommand: () => "Такой команды я не знаю. /help — список команд.",
  unknownPayload: () => "Не удалось распознать ссылку: возможно, она повреждена или устарела. /help — что я умею.",
  notText: () => "Я понимаю только команды. /help — список команд.",
  error: () => "Что-то пошло не так. Попробуйте ещё раз чуть позже.",
  staleButton: () => "Эта кнопка больше не действует.",

  loginPrompt: ({ appHost, device, minutes }) =>
    `<b>Вход на сайт ${escapeHtml(appHost)}</b>\n\n` +
    (device ? `Устройство: ${escapeHtml(device)}\n\n` : "") +
    "Подтвердите вход, только если вы сами начали его на сайте. " +
    `Кнопка действует ${minutes} мин.`,
  loginConfirmButton: "✅ Подтвердить вход",
  loginConfirmed: ({ name, created }) =>
    (created ? `Добро пожаловать, ${escapeHtml(name)}! Аккаунт AqStream создан.\n\n` : "") +
    "Вход подтверждён. Вернитесь в браузер — вход завершится автоматически.",
  loginConfirmedToast: "Вход подтверждён",
  loginInvalid: () => "Ссылка для входа не найдена. Начните вход на сайте заново.",
  loginExpired: () => "Ссылка для входа устарела. Начните вход на сайте заново.",
  loginUsed: () => "Эта ссылка для входа уже использована. Если это были не вы — просто проигнорируйте сообщение.",
  loginOtherAccount: () => "Этот вход открыт другим пользователем Telegram. Начните вход на сайте заново.",

  linkDone: ({ name }) => `Telegram привязан к аккаунту ${escapeHtml(name)}. Уведомления будут приходить сюда.`,
  linkAlready: () => "Этот Telegram уже привязан к вашему аккаунту.",
  linkInvalid: () => "Ссылка для привязки не найдена. Создайте новую в профиле на сайте.",
  linkExpired: () => "Ссылка для привязки устарела (она действует 15 минут). Создайте новую в профиле на сайте.",
  linkUsed: () => "Эта ссылка для привязки уже использована. Создайте новую в профиле на сайте.",
  linkTakenElsewhere: () =>
    "Этот Telegram уже привязан к другому аккаунту AqStream. Ничего не изменено. " +
    "Отвяжите его в том аккаунте или войдите в него через Telegram.",
  linkAccountHasOther: () => "К вашему аккаунту уже привязан другой Telegram. Сначала отвяжите его в профиле на сайте.",

  inviteAccepted: ({ organization, created, appUrl }) =>
    `Готово: вы модератор организации «${escapeHtml(organization)}».` +
    (created ? `\n\nМы создали для вас аккаунт AqStream по данным Telegram — входите на сайт через Telegram: ${escapeHtml(appUrl)}` : ""),
  inviteAlreadyMember: ({ organization }) => `Вы уже состоите в организации «${escapeHtml(organization)}». Приглашение не использовано.`,
  inviteInvalid: () => "Приглашение не найдено. Проверьте ссылку или попросите новое.",
  inviteExpired: () => "Срок действия приглашения истёк. Попросите владельца организации прислать новое.",
  inviteUsed: () => "Это приглашение уже использовано. Попросите новое.",
  inviteRevoked: () => "Это приглашение отозвано. Попросите новое.",

  ticketsNotLinked: ({ appUrl }) =>
    `Ваш Telegram не привязан к аккаунту AqStream. Войдите на сайте через Telegram или привяжите его в профиле: ${escapeHtml(appUrl)}`,
  ticketsNone: ({ appUrl }) => `У вас нет билетов на предстоящие события. Найти событие: ${escapeHtml(appUrl)}`,
  ticketsHeader: ({ count }) => (count === 1 ? "Ваш ближайший билет:" : `Ваши ближайшие билеты (${count}):`),
  ticketsMore: ({ shown, url }) => `Показаны первые ${shown}. Все билеты — в кабинете: ${escapeHtml(url)}`,
  ticketCaption: (t) =>
    [
      `<b>${escapeHtml(clip(t.title, 200))}</b>`,
      `🗓 ${escapeHtml(t.date)}`,
      t.location ? `📍 ${escapeHtml(clip(t.location, 200))}` : null,
      `🎟 ${escapeHtml(clip(t.ticketType, 100))}`,
      `Код: <code>${escapeHtml(t.code)}</code>`,
      `Статус: ${STATUS_RU[t.status]}${t.status === "RESERVED" && t.reservedUntil ? ` до ${escapeHtml(t.reservedUntil)}` : ""}`,
    ]
      .filter(Boolean)
      .join("\n"),
  ticketNotFound: () => "Билет не найден среди ваших билетов.",
  online: "онлайн",

  langPrompt: () => "Выберите язык сообщений / Choose the language:",
  langSet: () => "Готово: сообщения будут на русском.",
  langSetGuest: () => "Готово: отвечаю на русском. Войдите на сайт через Telegram, чтобы выбор сохранился в аккаунте.",
};

const en: BotTexts = {
  languageName: "English",
  welcomeNew: ({ appUrl }) =>
    "Hi! I am the <b>AqStream</b> bot.\n\n" +
    "I deliver tickets with QR codes, event reminders and sign-in confirmations.\n\n" +
    `To get notifications, sign in on the website with Telegram or link Telegram in your profile: ${escapeHtml(appUrl)}\n\n` +
    "/help — what I can do",
  welcomeBack: ({ name }) =>
    `Welcome back, ${escapeHtml(name)}! AqStream notifications will arrive here.\n\n/tickets — your tickets\n/help — help`,
  help: ({ appUrl }) =>
    "<b>Commands</b>\n" +
    "/tickets — upcoming tickets with QR codes\n" +
    "/lang — message language\n" +
    "/help — this help\n\n" +
    "You can also sign in to the website, link Telegram to your account and accept an organization invite here — " +
    `through links from ${escapeHtml(appUrl)}`,
  unknownCommand: () => "I don't know that command. /help lists what I can do.",
  unknownPayload: () => "I couldn't recognise that link: it may be damaged or out of date. /help lists what I can do.",
  notText: () => "I only understand commands. /help lists them.",
  error: () => "Something went wrong. Please try again a bit later.",
  staleButton: () => "This button no longer works.",

  loginPrompt: ({ appHost, device, minutes }) =>
    `<b>Sign-in to ${escapeHtml(appHost)}</b>\n\n` +
    (device ? `Device: ${escapeHtml(device)}\n\n` : "") +
    "Confirm only if you started this sign-in on the website yourself. " +
    `The button works for ${minutes} min.`,
  loginConfirmButton: "✅ Confirm sign-in",
  loginConfirmed: ({ name, created }) =>
    (created ? `Welcome, ${escapeHtml(name)}! Your AqStream account has been created.\n\n` : "") +
    "Sign-in confirmed. Go back to your browser — it will finish signing you in by itself.",
  loginConfirmedToast: "Sign-in confirmed",
  loginInvalid: () => "This sign-in link was not found. Please start signing in on the website again.",
  loginExpired: () => "This sign-in link has expired. Please start signing in on the website again.",
  loginUsed: () => "This sign-in link has already been used. If it wasn't you, just ignore this message.",
  loginOtherAccount: () => "This sign-in was opened by another Telegram user. Please start signing in on the website again.",

  linkDone: ({ name }) => `Telegram is now linked to the account of ${escapeHtml(name)}. Notifications will arrive here.`,
  linkAlready: () => "This Telegram account is already linked to your account.",
  linkInvalid: () => "This link was not found. Create a new one in your profile on the website.",
  linkExpired: () => "This link has expired (it works for 15 minutes). Create a new one in your profile on the website.",
  linkUsed: () => "This link has already been used. Create a new one in your profile on the website.",
  linkTakenElsewhere: () =>
    "This Telegram account is already linked to another AqStream account. Nothing was changed. " +
    "Unlink it there, or sign in to that account with Telegram.",
  linkAccountHasOther: () => "Your account is already linked to another Telegram account. Unlink it in your profile first.",

  inviteAccepted: ({ organization, created, appUrl }) =>
    `Done: you are now a moderator of “${escapeHtml(organization)}”.` +
    (created ? `\n\nWe created an AqStream account for you from your Telegram profile — sign in on the website with Telegram: ${escapeHtml(appUrl)}` : ""),
  inviteAlreadyMember: ({ organization }) => `You are already a member of “${escapeHtml(organization)}”. The invite was not used.`,
  inviteInvalid: () => "This invite was not found. Check the link or ask for a new one.",
  inviteExpired: () => "This invite has expired. Ask the organization's owner for a new one.",
  inviteUsed: () => "This invite has already been used. Ask for a new one.",
  inviteRevoked: () => "This invite has been revoked. Ask for a new one.",

  ticketsNotLinked: ({ appUrl }) =>
    `Your Telegram is not linked to an AqStream account. Sign in on the website with Telegram or link it in your profile: ${escapeHtml(appUrl)}`,
  ticketsNone: ({ appUrl }) => `You have no tickets for upcoming events. Find an event: ${escapeHtml(appUrl)}`,
  ticketsHeader: ({ count }) => (count === 1 ? "Your upcoming ticket:" : `Your upcoming tickets (${count}):`),
  ticketsMore: ({ shown, url }) => `Showing the first ${shown}. All tickets are in your dashboard: ${escapeHtml(url)}`,
  ticketCaption: (t) =>
    [
      `<b>${escapeHtml(clip(t.title, 200))}</b>`,
      `🗓 ${escapeHtml(t.date)}`,
      t.location ? `📍 ${escapeHtml(clip(t.location, 200))}` : null,
      `🎟 ${escapeHtml(clip(t.ticketType, 100))}`,
      `Code: <code>${escapeHtml(t.code)}</code>`,
      `Status: ${STATUS_EN[t.status]}${t.status === "RESERVED" && t.reservedUntil ? ` until ${escapeHtml(t.reservedUntil)}` : ""}`,
    ]
      .filter(Boolean)
      .join("\n"),
  ticketNotFound: () => "This ticket is not among your tickets.",
  online: "online",

  langPrompt: () => "Выберите язык сообщений / Choose the language:",
  langSet: () => "Done: messages will be in English.",
  langSetGuest: () => "Done: replying in English. Sign in on the website with Telegram to keep this choice in your account.",
};

export const BOT_TEXTS: Record<BotLocale, BotTexts> = { ru, en };

export function botTexts(locale: BotLocale): BotTexts {
  return BOT_TEXTS[locale] ?? ru;
}

/** Telegram's `language_code` → the bot's locale (Russian for ru/uk/be/kk and when unknown). */
export function localeFromLanguageCode(code: string | null | undefined): BotLocale {
  if (!code) return "ru";
  const base = code.toLowerCase().split(/[-_]/)[0];
  return ["ru", "uk", "be", "kk"].includes(base) ? "ru" : "en";
}

/**
 * AppError message keys raised by the Telegram services (lib/identity/telegram-*.ts,
 * lib/organizations/invites.ts), with their texts, for the UI catalogue (lib/i18n/messages).
 */
export const TELEGRAM_ERROR_MESSAGES = {
  ru: {
    telegramNotConfigured: "Вход через Telegram не настроен на этом сервере.",
    telegramWidgetInvalid: "Не удалось проверить данные Telegram. Попробуйте войти ещё раз.",
    telegramWidgetExpired: "Данные входа через Telegram устарели. Попробуйте войти ещё раз.",
    telegramWidgetReplayed: "Эти данные входа уже использованы. Попробуйте войти ещё раз.",
    telegramLoginInvalid: "Ссылка для входа не найдена. Начните вход заново.",
    telegramLoginExpired: "Ссылка для входа устарела. Начните вход заново.",
    telegramLoginUsed: "Эта ссылка для входа уже использована.",
    telegramLoginNotConfirmed: "Вход ещё не подтверждён в Telegram.",
    telegramLoginOtherAccount: "Этот вход открыт другим пользователем Telegram.",
    telegramLinkInvalid: "Ссылка для привязки не найдена.",
    telegramLinkExpired: "Ссылка для привязки устарела.",
    telegramLinkUsed: "Ссылка для привязки уже использована.",
    telegramTakenElsewhere: "Этот Telegram уже привязан к другому аккаунту.",
    telegramAccountHasOther: "К аккаунту уже привязан другой Telegram.",
    telegramAlreadyLinked: "Telegram уже привязан к аккаунту.",
    telegramNotLinked: "Telegram не привязан к аккаунту.",
    telegramUnlinkNeedsPassword: "Нельзя отвязать Telegram: это единственный способ входа. Сначала задайте email и пароль.",
    inviteInvalid: "Приглашение не найдено.",
    inviteExpired: "Срок действия приглашения истёк.",
    inviteUsed: "Приглашение уже использовано.",
    inviteRevoked: "Приглашение отозвано.",
    inviteAlreadyMember: "Вы уже состоите в этой организации.",
  },
  en: {
    telegramNotConfigured: "Telegram sign-in is not configured on this server.",
    telegramWidgetInvalid: "Could not verify the Telegram data. Please sign in again.",
    telegramWidgetExpired: "The Telegram sign-in data is out of date. Please sign in again.",
    telegramWidgetReplayed: "This Telegram sign-in data has already been used. Please sign in again.",
    telegramLoginInvalid: "This sign-in link was not found. Please start again.",
    telegramLoginExpired: "This sign-in link has expired. Please start again.",
    telegramLoginUsed: "This sign-in link has already been used.",
    telegramLoginNotConfirmed: "The sign-in has not been confirmed in Telegram yet.",
    telegramLoginOtherAccount: "This sign-in was opened by another Telegram user.",
    telegramLinkInvalid: "This link was not found.",
    telegramLinkExpired: "This link has expired.",
    telegramLinkUsed: "This link has already been used.",
    telegramTakenElsewhere: "This Telegram account is already linked to another account.",
    telegramAccountHasOther: "Another Telegram account is already linked to this account.",
    telegramAlreadyLinked: "Telegram is already linked to this account.",
    telegramNotLinked: "Telegram is not linked to this account.",
    telegramUnlinkNeedsPassword: "Telegram cannot be unlinked: it is your only way to sign in. Set an email and password first.",
    inviteInvalid: "The invite was not found.",
    inviteExpired: "The invite has expired.",
    inviteUsed: "The invite has already been used.",
    inviteRevoked: "The invite has been revoked.",
    inviteAlreadyMember: "You are already a member of this organization.",
  },
} as const;

export type TelegramErrorKey = keyof (typeof TELEGRAM_ERROR_MESSAGES)["en"];

/** The AppError message for a key: "errors.<key>" (the UI catalogue's namespace). */
export function errorKey(key: TelegramErrorKey): `errors.${TelegramErrorKey}` {
  return `errors.${key}`;
}
