// Texts of the page-view beacon (POST /api/analytics/beacon, lib/analytics/beacon.ts): the field errors
// of a malformed body. Visitors never see them (sendBeacon ignores the answer); they are for whoever
// calls the endpoint by hand.
export const ru = {
  errors: {
    eventId: "Нужен идентификатор события (UUID).",
    step: "Шаг должен быть VIEW или FORM_OPEN.",
    referrer: "Источник перехода должен быть адресом (URL) не длиннее 1024 символов.",
    page: "Адрес страницы должен быть URL не длиннее 1024 символов.",
  },
};

export const en: typeof ru = {
  errors: {
    eventId: "An event id (UUID) is required.",
    step: "The step must be VIEW or FORM_OPEN.",
    referrer: "The referrer must be a URL of at most 1024 characters.",
    page: "The page address must be a URL of at most 1024 characters.",
  },
};
