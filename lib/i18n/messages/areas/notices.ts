// Texts of the email channel of notices (issue 15): the email subject fields and the two-channel preview
// of the notification templates admin (/dashboard/admin/templates), and the descriptions of the
// templates added with it. ICU messages (docs/i18n.md): literal braces are quoted.
export const ru = {
  templates: {
    subjectRu: "Тема письма (русская)",
    subjectEn: "Тема письма (английская)",
    subjectHint: "Одна строка обычного текста, переменные — '{'{name}'}'. Пусто — тема по умолчанию.",
    subjectEnHint: "Пусто — будет отправлена русская тема.",
    channelTelegram: "Telegram",
    channelEmail: "Письмо",
    emailSubject: "Тема: {subject}",
    emailFrame: "Письмо: {language}",
    emailLoading: "Готовим письмо…",
    emailUnavailable: "Не удалось показать письмо. Исправьте ошибки в шаблоне.",
    emailHint: "Письмо получают те, у кого нет Telegram, и гости. Кнопки и QR-код билета добавляются при отправке.",
    issues: {
      subjectTooLong: "Тема не может быть длиннее {max} символов",
      subjectMultiline: "Тема письма — одна строка: уберите переносы строк",
      subjectMarkup: "В теме письма не бывает оформления: уберите теги",
    },
    descriptions: {
      event_reminder_morning: "Утром в день онлайн-события — со ссылкой для подключения",
      refund_completed: "Возврат денег выполнен",
      organizer_message: "Сообщение организатора участникам события",
    },
  },
};

export const en: typeof ru = {
  templates: {
    subjectRu: "Email subject (Russian)",
    subjectEn: "Email subject (English)",
    subjectHint: "One line of plain text, variables as '{'{name}'}'. Empty — the default subject.",
    subjectEnHint: "Empty — the Russian subject is sent.",
    channelTelegram: "Telegram",
    channelEmail: "Email",
    emailSubject: "Subject: {subject}",
    emailFrame: "Email: {language}",
    emailLoading: "Preparing the email…",
    emailUnavailable: "The email cannot be shown. Fix the problems in the template.",
    emailHint: "Email goes to people without Telegram and to guests. Buttons and the ticket's QR code are added when it is sent.",
    issues: {
      subjectTooLong: "The subject cannot be longer than {max} characters",
      subjectMultiline: "An email subject is one line: remove the line breaks",
      subjectMarkup: "An email subject has no formatting: remove the tags",
    },
    descriptions: {
      event_reminder_morning: "The morning of an online event, with the link to join",
      refund_completed: "A refund has been made",
      organizer_message: "A message from the organizer to the event's participants",
    },
  },
};
