// Texts of the public REST API (app/api/v1/**): request-shape errors the services never see.
export const ru = {
  errors: {
    invalidJson: "Тело запроса должно быть JSON-объектом.",
    bodyTooLarge: "Слишком большой запрос.",
    ticketTypeRequired: "Выберите тип билета.",
    fieldInvalid: "Некорректное значение.",
  },
};

export const en: typeof ru = {
  errors: {
    invalidJson: "The request body must be a JSON object.",
    bodyTooLarge: "The request is too large.",
    ticketTypeRequired: "Choose a ticket type.",
    fieldInvalid: "Invalid value.",
  },
};
