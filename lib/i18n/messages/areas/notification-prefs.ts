// The account's notification preference (components/account/notification-preference-form.tsx).
export const ru = {
  title: "Уведомления",
  description: "Куда присылать билеты, напоминания и новости о ваших событиях.",
  legend: "Канал уведомлений",
  options: {
    AUTO: { label: "Автоматически", hint: "В Telegram, если он привязан, иначе на email." },
    TELEGRAM: { label: "Telegram", hint: "Только в Telegram; на email — пока Telegram не привязан." },
    EMAIL: { label: "Email", hint: "Только на email; в Telegram — если email нет или до него не доходят письма." },
    BOTH: { label: "Telegram и email", hint: "В оба канала, какие доступны." },
  },
  noTelegram: "Telegram не привязан.",
  noEmail: "Email не указан.",
  bounced: "Письма на {email} не доходят — укажите другой адрес.",
  save: "Сохранить",
  saved: "Настройка уведомлений сохранена.",
  validation: { invalid: "Выберите один из вариантов." },
};

export const en: typeof ru = {
  title: "Notifications",
  description: "Where your tickets, reminders and news about your events are sent.",
  legend: "Notification channel",
  options: {
    AUTO: { label: "Automatic", hint: "Telegram when linked, otherwise email." },
    TELEGRAM: { label: "Telegram", hint: "Telegram only; email while no Telegram is linked." },
    EMAIL: { label: "Email", hint: "Email only; Telegram when there is no email or mail to it bounces." },
    BOTH: { label: "Telegram and email", hint: "Both channels, whichever are available." },
  },
  noTelegram: "No Telegram linked.",
  noEmail: "No email given.",
  bounced: "Mail to {email} could not be delivered — change the address.",
  save: "Save",
  saved: "Notification setting saved.",
  validation: { invalid: "Choose one of the options." },
};
