// The widget's own texts (it runs on other sites: no catalogue is loaded, only these two small tables).
// Error messages from the server come already translated (the widget sends Accept-Language).
export type Lang = "ru" | "en";

const ru = {
  loading: "Загружаем событие…",
  loadFailed: "Не удалось загрузить событие. Проверьте соединение и обновите страницу.",
  notFound: "Событие не найдено или ещё не опубликовано.",
  retry: "Повторить",
  tickets: "Билет",
  free: "Бесплатно",
  soldOut: "Мест нет",
  notOnSale: "Продажа не идёт",
  unlimited: "Места есть",
  seatsLeft: { one: "Осталось # место", few: "Осталось # места", many: "Осталось # мест", other: "Осталось # места" } as Record<string, string>,
  firstName: "Имя",
  lastName: "Фамилия",
  email: "Электронная почта",
  required: "обязательно",
  emailHint: "Пришлём на неё билет.",
  chooseTicket: "Выберите тип билета.",
  register: "Зарегистрироваться",
  registering: "Регистрируем…",
  openEventPage: "Зарегистрироваться на AqStream",
  onEventPage: "Регистрация на странице события",
  signInNeeded: "Для этого события нужна учётная запись AqStream: регистрация откроется на странице события.",
  closed: "Регистрация закрыта.",
  cancelled: "Событие отменено.",
  completed: "Событие прошло.",
  networkError: "Нет соединения с сервером. Проверьте интернет и попробуйте ещё раз — повторная отправка не создаст вторую регистрацию.",
  rateLimited: "Слишком много попыток. Попробуйте через {s} с.",
  fixFields: "Проверьте отмеченные поля.",
  doneTitle: "Вы зарегистрированы!",
  reservedTitle: "Место забронировано",
  code: "Код подтверждения: {code}",
  emailSent: "Билет отправлен на {email}.",
  payBy: "Оплатите до {date} — как оплатить, сказано на странице билета.",
  payLater: "Оплатите билет — как оплатить, сказано на странице билета.",
  openTicket: "Открыть билет",
  another: "Зарегистрировать ещё одного человека",
  poweredBy: "Регистрация через AqStream",
  newWindow: "(откроется в новой вкладке)",
  yes: "Да",
  selectPlaceholder: "Выберите…",
};

const en: typeof ru = {
  loading: "Loading the event…",
  loadFailed: "Could not load the event. Check the connection and reload the page.",
  notFound: "The event was not found or is not published yet.",
  retry: "Try again",
  tickets: "Ticket",
  free: "Free",
  soldOut: "Sold out",
  notOnSale: "Not on sale",
  unlimited: "Seats available",
  seatsLeft: { one: "# seat left", other: "# seats left" },
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  required: "required",
  emailHint: "We will send the ticket there.",
  chooseTicket: "Choose a ticket type.",
  register: "Register",
  registering: "Registering…",
  openEventPage: "Register on AqStream",
  onEventPage: "Registration on the event page",
  signInNeeded: "This event needs an AqStream account: registration opens on the event page.",
  closed: "Registration is closed.",
  cancelled: "The event is cancelled.",
  completed: "The event is over.",
  networkError: "No connection to the server. Check the internet and try again — sending again will not create a second registration.",
  rateLimited: "Too many attempts. Try again in {s} s.",
  fixFields: "Check the marked fields.",
  doneTitle: "You are registered!",
  reservedTitle: "Your seat is reserved",
  code: "Confirmation code: {code}",
  emailSent: "The ticket is on its way to {email}.",
  payBy: "Pay by {date} — the ticket page says how.",
  payLater: "Pay for the ticket — the ticket page says how.",
  openTicket: "Open the ticket",
  another: "Register another person",
  poweredBy: "Registration by AqStream",
  newWindow: "(opens in a new tab)",
  yes: "Yes",
  selectPlaceholder: "Choose…",
};

export type Texts = typeof ru;
export const TEXTS: Record<Lang, Texts> = { ru, en };

/** `{name}` placeholders filled in. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ""));
}

function langOf(tag: string | null | undefined): Lang | null {
  const t = (tag ?? "").trim().toLowerCase();
  return t.startsWith("ru") ? "ru" : t.startsWith("en") ? "en" : null;
}

/** The widget's language: its data-locale, else the host page's <html lang>, else the browser's, else Russian. */
export function pickLang(dataLocale: string | undefined, htmlLang: string | null, browser: readonly string[]): Lang {
  for (const tag of [dataLocale, htmlLang, ...browser]) {
    const lang = langOf(tag);
    if (lang) return lang;
  }
  return "ru";
}
