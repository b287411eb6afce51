// Texts of the Telegram bot (lib/telegram/bot.ts). ICU messages over Telegram HTML (parse_mode "HTML"):
// they are rendered by lib/telegram/format.ts (botText / telegramText), which escapes every value for
// Telegram HTML, so a title like "<b>A & B</b>" never breaks a message. Optional parts are ICU selects:
// an empty value selects `empty` ({device, select, empty {} other {…}}), true selects `true`.
// Buttons and toasts (…Button, …Toast, languageName) are plain text. Registered in ../areas.ts as `bot`.
export const ru = {
  languageName: "Русский",
  welcomeNew:
    "Привет! Я бот <b>AqStream</b>.\n\n" +
    "Здесь приходят билеты с QR-кодом, напоминания о событиях и подтверждение входа на сайт.\n\n" +
    "Чтобы получать уведомления, войдите на сайте через Telegram или привяжите Telegram в профиле: {appUrl}\n\n" +
    "/help — что я умею",
  welcomeBack: "С возвращением, {name}! Уведомления AqStream будут приходить сюда.\n\n/tickets — ваши билеты\n/help — помощь",
  help:
    "<b>Команды</b>\n" +
    "/tickets — ближайшие билеты с QR-кодами\n" +
    "/lang — язык сообщений\n" +
    "/help — эта справка\n\n" +
    "Через бота можно войти на сайт, привязать Telegram к аккаунту и принять приглашение в организацию — " +
    "по ссылкам с сайта {appUrl}",
  unknownCommand: "Такой команды я не знаю. /help — список команд.",
  unknownPayload: "Не удалось распознать ссылку: возможно, она повреждена или устарела. /help — что я умею.",
  notText: "Я понимаю только команды. /help — список команд.",
  error: "Что-то пошло не так. Попробуйте ещё раз чуть позже.",
  staleButton: "Эта кнопка больше не действует.",

  loginPrompt:
    "<b>Вход на сайт {appHost}</b>\n\n" +
    "{device, select, empty {} other {Устройство: {device}\n\n}}" +
    "Подтвердите вход, только если вы сами начали его на сайте. " +
    "Кнопка действует {minutes, plural, one {# минуту} few {# минуты} many {# минут} other {# минуты}}.",
  loginConfirmButton: "✅ Подтвердить вход",
  loginConfirmed:
    "{created, select, true {Добро пожаловать, {name}! Аккаунт AqStream создан.\n\n} other {}}" +
    "Вход подтверждён. Вернитесь в браузер — вход завершится автоматически.",
  loginConfirmedToast: "Вход подтверждён",
  loginInvalid: "Ссылка для входа не найдена. Начните вход на сайте заново.",
  loginExpired: "Ссылка для входа устарела. Начните вход на сайте заново.",
  loginUsed: "Эта ссылка для входа уже использована. Если это были не вы — просто проигнорируйте сообщение.",
  loginOtherAccount: "Этот вход открыт другим пользователем Telegram. Начните вход на сайте заново.",

  linkDone: "Telegram привязан к аккаунту {name}. Уведомления будут приходить сюда.",
  linkAlready: "Этот Telegram уже привязан к вашему аккаунту.",
  linkInvalid: "Ссылка для привязки не найдена. Создайте новую в профиле на сайте.",
  linkExpired: "Ссылка для привязки устарела (она действует 15 минут). Создайте новую в профиле на сайте.",
  linkUsed: "Эта ссылка для привязки уже использована. Создайте новую в профиле на сайте.",
  linkTakenElsewhere:
    "Этот Telegram уже привязан к другому аккаунту AqStream. Ничего не изменено. " +
    "Отвяжите его в том аккаунте или войдите в него через Telegram.",
  linkAccountHasOther: "К вашему аккаунту уже привязан другой Telegram. Сначала отвяжите его в профиле на сайте.",
  linkNeedsVerifiedEmail:
    "Telegram не привязан: сначала подтвердите email аккаунта — откройте ссылку из письма (новое письмо можно запросить на сайте). " +
    "Потом эта же ссылка для привязки сработает, если не истекла.",

  inviteAccepted:
    "Готово: вы модератор организации «{organization}»." +
    "{created, select, true {\n\nМы создали для вас аккаунт AqStream по данным Telegram — входите на сайт через Telegram: {appUrl}} other {}}",
  inviteAlreadyMember: "Вы уже состоите в организации «{organization}». Приглашение не использовано.",
  inviteInvalid: "Приглашение не найдено. Проверьте ссылку или попросите новое.",
  inviteExpired: "Срок действия приглашения истёк. Попросите владельца организации прислать новое.",
  inviteUsed: "Это приглашение уже использовано. Попросите новое.",
  inviteRevoked: "Это приглашение отозвано. Попросите новое.",

  ticketsNotLinked: "Ваш Telegram не привязан к аккаунту AqStream. Войдите на сайте через Telegram или привяжите его в профиле: {appUrl}",
  ticketsNone: "У вас нет билетов на предстоящие события. Найти событие: {appUrl}",
  ticketsHeader: "{count, plural, =1 {Ваш ближайший билет:} other {Ваши ближайшие билеты (#):}}",
  ticketsMore:
    "{shown, plural, one {Показан первый # билет} few {Показаны первые # билета} many {Показаны первые # билетов} other {Показаны первые # билета}}. " +
    "Все билеты — в кабинете: {url}",
  ticketCaption:
    "<b>{title}</b>\n" +
    "🗓 {date}\n" +
    "{location, select, empty {} other {📍 {location}\n}}" +
    "🎟 {ticketType}\n" +
    "Код: <code>{code}</code>\n" +
    "Статус: {status, select, " +
    "CONFIRMED {подтверждён} " +
    "RESERVED {забронирован, ожидает оплаты{reservedUntil, select, empty {} other { до {reservedUntil}}}} " +
    "PENDING {ожидает оплаты} " +
    "CANCELLED {отменён} " +
    "CHECKED_IN {использован (вход отмечен)} " +
    "EXPIRED {бронь истекла} " +
    "other {{status}}}",
  ticketNotFound: "Билет не найден среди ваших билетов.",
  online: "онлайн",

  langPrompt: "Выберите язык сообщений / Choose the language:",
  langSet: "Готово: сообщения будут на русском.",
  langSetGuest: "Готово: отвечаю на русском. Войдите на сайт через Telegram, чтобы выбор сохранился в аккаунте.",
};

export const en: typeof ru = {
  languageName: "English",
  welcomeNew:
    "Hi! I am the <b>AqStream</b> bot.\n\n" +
    "I deliver tickets with QR codes, event reminders and sign-in confirmations.\n\n" +
    "To get notifications, sign in on the website with Telegram or link Telegram in your profile: {appUrl}\n\n" +
    "/help — what I can do",
  welcomeBack: "Welcome back, {name}! AqStream notifications will arrive here.\n\n/tickets — your tickets\n/help — help",
  help:
    "<b>Commands</b>\n" +
    "/tickets — upcoming tickets with QR codes\n" +
    "/lang — message language\n" +
    "/help — this help\n\n" +
    "You can also sign in to the website, link Telegram to your account and accept an organization invite here — " +
    "through links from {appUrl}",
  unknownCommand: "I don't know that command. /help lists what I can do.",
  unknownPayload: "I couldn't recognise that link: it may be damaged or out of date. /help lists what I can do.",
  notText: "I only understand commands. /help lists them.",
  error: "Something went wrong. Please try again a bit later.",
  staleButton: "This button no longer works.",

  loginPrompt:
    "<b>Sign-in to {appHost}</b>\n\n" +
    "{device, select, empty {} other {Device: {device}\n\n}}" +
    "Confirm only if you started this sign-in on the website yourself. " +
    "The button works for {minutes, plural, one {# minute} other {# minutes}}.",
  loginConfirmButton: "✅ Confirm sign-in",
  loginConfirmed:
    "{created, select, true {Welcome, {name}! Your AqStream account has been created.\n\n} other {}}" +
    "Sign-in confirmed. Go back to your browser — it will finish signing you in by itself.",
  loginConfirmedToast: "Sign-in confirmed",
  loginInvalid: "This sign-in link was not found. Please start signing in on the website again.",
  loginExpired: "This sign-in link has expired. Please start signing in on the website again.",
  loginUsed: "This sign-in link has already been used. If it wasn't you, just ignore this message.",
  loginOtherAccount: "This sign-in was opened by another Telegram user. Please start signing in on the website again.",

  linkDone: "Telegram is now linked to the account of {name}. Notifications will arrive here.",
  linkAlready: "This Telegram account is already linked to your account.",
  linkInvalid: "This link was not found. Create a new one in your profile on the website.",
  linkExpired: "This link has expired (it works for 15 minutes). Create a new one in your profile on the website.",
  linkUsed: "This link has already been used. Create a new one in your profile on the website.",
  linkTakenElsewhere:
    "This Telegram account is already linked to another AqStream account. Nothing was changed. " +
    "Unlink it there, or sign in to that account with Telegram.",
  linkAccountHasOther: "Your account is already linked to another Telegram account. Unlink it in your profile first.",
  linkNeedsVerifiedEmail:
    "Telegram was not linked: confirm your account's email first — open the link from the email (you can ask for a new one on the website). " +
    "Then this link will work, as long as it has not expired.",

  inviteAccepted:
    "Done: you are now a moderator of “{organization}”." +
    "{created, select, true {\n\nWe created an AqStream account for you from your Telegram profile — sign in on the website with Telegram: {appUrl}} other {}}",
  inviteAlreadyMember: "You are already a member of “{organization}”. The invite was not used.",
  inviteInvalid: "This invite was not found. Check the link or ask for a new one.",
  inviteExpired: "This invite has expired. Ask the organization's owner for a new one.",
  inviteUsed: "This invite has already been used. Ask for a new one.",
  inviteRevoked: "This invite has been revoked. Ask for a new one.",

  ticketsNotLinked: "Your Telegram is not linked to an AqStream account. Sign in on the website with Telegram or link it in your profile: {appUrl}",
  ticketsNone: "You have no tickets for upcoming events. Find an event: {appUrl}",
  ticketsHeader: "{count, plural, =1 {Your upcoming ticket:} other {Your upcoming tickets (#):}}",
  ticketsMore: "{shown, plural, one {Showing the first ticket} other {Showing the first # tickets}}. All tickets are in your dashboard: {url}",
  ticketCaption:
    "<b>{title}</b>\n" +
    "🗓 {date}\n" +
    "{location, select, empty {} other {📍 {location}\n}}" +
    "🎟 {ticketType}\n" +
    "Code: <code>{code}</code>\n" +
    "Status: {status, select, " +
    "CONFIRMED {confirmed} " +
    "RESERVED {reserved, awaiting payment{reservedUntil, select, empty {} other { until {reservedUntil}}}} " +
    "PENDING {awaiting payment} " +
    "CANCELLED {cancelled} " +
    "CHECKED_IN {used (checked in)} " +
    "EXPIRED {reservation expired} " +
    "other {{status}}}",
  ticketNotFound: "This ticket is not among your tickets.",
  online: "online",

  langPrompt: "Выберите язык сообщений / Choose the language:",
  langSet: "Done: messages will be in English.",
  langSetGuest: "Done: replying in English. Sign in on the website with Telegram to keep this choice in your account.",
};

/**
 * AppError texts of the Telegram services (lib/identity/telegram-*.ts, lib/organizations/invites.ts):
 * the UI shows them as "errors.<key>" (merged into the `errors` namespace in ../index.ts).
 */
export const errorsRu = {
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
  telegramLinkNeedsVerifiedEmail: "Чтобы привязать Telegram, сначала подтвердите email — откройте ссылку из письма.",
  telegramNotLinked: "Telegram не привязан к аккаунту.",
  telegramUnlinkNeedsPassword: "Нельзя отвязать Telegram: это единственный способ входа. Сначала задайте email и пароль.",
  inviteInvalid: "Приглашение не найдено.",
  inviteExpired: "Срок действия приглашения истёк.",
  inviteUsed: "Приглашение уже использовано.",
  inviteRevoked: "Приглашение отозвано.",
  inviteAlreadyMember: "Вы уже состоите в этой организации.",
};

export const errorsEn: typeof errorsRu = {
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
  telegramLinkNeedsVerifiedEmail: "To link Telegram, confirm your email first: open the link from the email.",
  telegramNotLinked: "Telegram is not linked to this account.",
  telegramUnlinkNeedsPassword: "Telegram cannot be unlinked: it is your only way to sign in. Set an email and password first.",
  inviteInvalid: "The invite was not found.",
  inviteExpired: "The invite has expired.",
  inviteUsed: "The invite has already been used.",
  inviteRevoked: "The invite has been revoked.",
  inviteAlreadyMember: "You are already a member of this organization.",
};
