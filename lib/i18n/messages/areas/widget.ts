// The embeddable registration widget (docs/widget.md): the request-shape errors of its API and the
// "Embed on your site" card of the event's dashboard page. The widget's own texts (shown on other
// sites) live in its source, widget/src/texts.ts (no catalogue is loaded there: size).
export const ru = {
  errors: {
    unknownField: "В запросе есть неизвестные поля.",
  },
  embed: {
    title: "Виджет для вашего сайта",
    description: "Вставьте один из фрагментов в страницу своего сайта: посетители увидят типы билетов с живым остатком мест и зарегистрируются, не уходя с сайта.",
    scriptTitle: "Скрипт (рекомендуется)",
    scriptHint: "Подстраивается под ширину страницы, язык берётся из атрибута data-locale или из языка страницы.",
    iframeTitle: "Iframe",
    iframeHint: "Для конструкторов сайтов, где нельзя вставить скрипт. Язык — параметр locale (ru или en).",
    copy: "Копировать",
    copied: "Скопировано",
    copyFailed: "Не удалось скопировать — выделите текст и скопируйте вручную.",
    preview: "Посмотреть, как выглядит виджет",
    newTab: "(откроется в новой вкладке)",
    liveNote: "Виджет показывает события сразу после публикации; остаток мест обновляется сам.",
    draftNote: "Виджет заработает, когда событие будет опубликовано.",
    privateNote: "Это закрытое событие группы: виджет показывает только публичные события.",
    guestsNote: "Гостевая регистрация выключена: в виджете будет кнопка, открывающая страницу события на AqStream.",
  },
};

export const en: typeof ru = {
  errors: {
    unknownField: "The request has unknown fields.",
  },
  embed: {
    title: "Widget for your site",
    description: "Paste one of these snippets into a page of your site: visitors see the ticket types with live availability and register without leaving it.",
    scriptTitle: "Script (recommended)",
    scriptHint: "Fits the page's width; the language comes from the data-locale attribute or the page's language.",
    iframeTitle: "Iframe",
    iframeHint: "For site builders that do not allow scripts. The language is the locale parameter (ru or en).",
    copy: "Copy",
    copied: "Copied",
    copyFailed: "Could not copy — select the text and copy it yourself.",
    preview: "See what the widget looks like",
    newTab: "(opens in a new tab)",
    liveNote: "The widget shows the event as soon as it is published; the seats left update by themselves.",
    draftNote: "The widget starts working once the event is published.",
    privateNote: "This is a private group event: the widget shows public events only.",
    guestsNote: "Guest registration is off: the widget shows a button that opens the event page on AqStream.",
  },
};
