// Texts of the public REST API (app/api/v1/**): request-shape errors the services never see.
export const ru = {
  errors: {
    invalidJson: "Тело запроса должно быть JSON-объектом.",
    bodyTooLarge: "Слишком большой запрос.",
    ticketTypeRequired: "Выберите тип билета.",
    fieldInvalid: "Некорректное значение.",
    // API tokens and the API edge (lib/api/tokens.ts, lib/http/api-route.ts)
    tokenMissing: "Нужен API-токен: заголовок Authorization: Bearer и токен.",
    tokenInvalid: "API-токен не найден или больше не действует.",
    tokenExpired: "Срок действия API-токена истёк. Создайте новый токен.",
    tokenRevoked: "API-токен отозван. Создайте новый токен.",
    scope: "У токена нет нужного права: {scope}.",
    unknownField: "Неизвестное поле.",
    cursorInvalid: "Курсор не подходит к этому запросу: начните список сначала.",
    limitInvalid: "Укажите число от 1 до 100.",
    updatedSinceInvalid: "Укажите время в формате ISO 8601, например 2026-01-31T12:00:00Z.",
    rateLimited: "Слишком много запросов с этим токеном. Подождите до сброса счётчика (Retry-After).",
    idempotencyInProgress: "Запрос с этим ключом ещё выполняется. Повторите его чуть позже.",
  },
};

export const en: typeof ru = {
  errors: {
    invalidJson: "The request body must be a JSON object.",
    bodyTooLarge: "The request is too large.",
    ticketTypeRequired: "Choose a ticket type.",
    fieldInvalid: "Invalid value.",
    // API tokens and the API edge (lib/api/tokens.ts, lib/http/api-route.ts)
    tokenMissing: "An API token is required: send the header Authorization: Bearer followed by the token.",
    tokenInvalid: "The API token is unknown or no longer valid.",
    tokenExpired: "The API token has expired. Create a new token.",
    tokenRevoked: "The API token has been revoked. Create a new token.",
    scope: "The token lacks the scope this needs: {scope}.",
    unknownField: "Unknown field.",
    cursorInvalid: "The cursor does not belong to this query: start the list again.",
    limitInvalid: "Enter a number from 1 to 100.",
    updatedSinceInvalid: "Enter an ISO 8601 time, e.g. 2026-01-31T12:00:00Z.",
    rateLimited: "Too many requests with this token. Wait until the window resets (Retry-After).",
    idempotencyInProgress: "A request with this key is still running. Retry it in a moment.",
  },
};
