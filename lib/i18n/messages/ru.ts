// Russian UI texts (the default locale). Its shape is the `Messages` type: every other catalogue
// must have exactly the same keys (en.ts is typed with it; tests/unit/i18n.test.ts checks it too).
// Placeholders look like {name} and are filled by the translator.
export const coreRu = {
  meta: {
    title: "AqStream — регистрация на события",
    titleTemplate: "%s · AqStream",
    description:
      "AqStream — открытая платформа регистрации на события: публикуйте встречи, выдавайте билеты с QR-кодом и отмечайте гостей на входе с телефона.",
  },
  common: {
    appName: "AqStream",
    skipToContent: "Перейти к содержимому",
    backHome: "На главную",
    retry: "Попробовать снова",
    loading: "Загрузка…",
  },
  header: {
    mainNav: "Основная навигация",
    signIn: "Войти",
    signUp: "Регистрация",
    signOut: "Выйти",
    dashboard: "Кабинет",
    signedInAs: "Вы вошли как {name}",
  },
  locale: {
    label: "Язык",
    switchTo: "Переключить язык на {language}",
    ru: "Русский",
    en: "English",
  },
  landing: {
    heroTitle: "Регистрация на события без лишних хлопот",
    heroText:
      "AqStream помогает сообществам и организациям проводить встречи: опубликуйте событие, откройте регистрацию и встречайте гостей по билету с QR-кодом — всё с телефона.",
    ctaStart: "Начать бесплатно",
    ctaSignIn: "У меня уже есть аккаунт",
    ctaDashboard: "Перейти в кабинет",
    audiencesTitle: "Для кого AqStream",
    organizersTitle: "Организаторам",
    organizersText:
      "Создайте организацию, пригласите модераторов и публикуйте события с типами билетов, лимитами мест и окнами продаж. Видите, кто зарегистрировался и кто пришёл.",
    participantsTitle: "Участникам",
    participantsText:
      "Регистрируйтесь в пару касаний, получайте билет с кодом и напоминания в Telegram. Все ваши билеты — в одном месте, даже без доступа к сети на входе.",
    moderatorsTitle: "Модераторам",
    moderatorsText:
      "Отмечайте гостей на входе: сканер QR-кодов в браузере телефона, поиск по имени и коду, защита от повторного прохода по одному билету.",
    featuresTitle: "Что умеет платформа",
    featureTelegram: "Вход по email или через Telegram, уведомления в Telegram-бот",
    featureTickets: "Бесплатные билеты с квотами и окнами продаж",
    featureCheckIn: "Отметка на входе с телефона, даже при плохой связи",
    featureGroups: "Закрытые группы и приватные события по коду приглашения",
    finalTitle: "Готовы провести своё событие?",
    finalText: "Зарегистрируйтесь, подайте заявку на организацию — и публикуйте первое событие.",
  },
  auth: {
    loginTitle: "Вход",
    loginSubtitle: "Войдите, чтобы управлять событиями и билетами.",
    registerTitle: "Регистрация",
    registerSubtitle: "Создайте аккаунт: это займёт меньше минуты.",
    email: "Email",
    password: "Пароль",
    passwordHint: "От 8 до 100 символов, минимум одна буква и одна цифра.",
    firstName: "Имя",
    lastName: "Фамилия",
    optional: "необязательно",
    submitLogin: "Войти",
    submitRegister: "Создать аккаунт",
    submitting: "Подождите…",
    noAccount: "Нет аккаунта?",
    toRegister: "Зарегистрироваться",
    haveAccount: "Уже есть аккаунт?",
    toLogin: "Войти",
    invalidCredentials: "Неверный email или пароль",
  },
  validation: {
    required: "Заполните это поле",
    emailInvalid: "Введите корректный email",
    emailTooLong: "Email не может быть длиннее 255 символов",
    emailTaken: "Этот email уже зарегистрирован",
    passwordTooShort: "Пароль должен быть не короче 8 символов",
    passwordTooLong: "Пароль должен быть не длиннее 100 символов",
    passwordWeak: "Пароль должен содержать хотя бы одну букву и одну цифру",
    firstNameRequired: "Укажите имя",
    firstNameTooLong: "Имя не может быть длиннее 100 символов",
    lastNameTooLong: "Фамилия не может быть длиннее 100 символов",
    invalid: "Проверьте значение",
  },
  errors: {
    internal: "Что-то пошло не так. Попробуйте ещё раз чуть позже.",
    validation: "Проверьте выделенные поля.",
    unauthenticated: "Войдите, чтобы продолжить.",
    forbidden: "Недостаточно прав для этого действия.",
    notFound: "Не найдено.",
    conflict: "Данные изменились. Обновите страницу и попробуйте снова.",
    emailTaken: "Этот email уже зарегистрирован.",
    rateLimited: "Слишком много попыток. Подождите немного.",
  },
  dashboard: {
    title: "Кабинет",
    greeting: "Здравствуйте, {name}!",
    intro: "Здесь собраны ваши организации, события и билеты.",
    roleTitle: "Ваша роль",
    platformAdmin: "Администратор платформы",
    platformAdminText: "Вы рассматриваете заявки на создание организаций и видите все организации.",
    participant: "Участник",
    participantText: "Регистрируйтесь на события — билеты появятся здесь.",
    organizationsTitle: "Мои организации",
    organizationsEmpty: "Вы пока не состоите ни в одной организации.",
    organizationsEmptyHint:
      "Чтобы проводить события, подайте заявку на создание организации или примите приглашение от её владельца.",
    roleOwner: "Владелец",
    roleModerator: "Модератор",
    memberSince: "с {date}",
  },
  notFound: {
    title: "Страница не найдена",
    text: "Возможно, ссылка устарела или в адресе опечатка.",
  },
  errorPage: {
    title: "Произошла ошибка",
    text: "Мы уже знаем о проблеме. Попробуйте обновить страницу.",
    code: "Код ошибки: {digest}",
  },
};

/** The shape of the core part of every catalogue. */
export type CoreMessages = typeof coreRu;
