// Texts of the media area: the image upload field, upload errors, avatar and organization logo.
// Registered in ../areas.ts as `media`.
export const ru = {
  upload: {
    choose: "Выбрать изображение",
    replace: "Заменить",
    remove: "Удалить",
    cancel: "Отменить",
    uploading: "Загрузка… {percent}%",
    previewAlt: "Предпросмотр изображения",
    hint: "JPEG, PNG, WebP или GIF, до {mb} МБ.",
  },
  errors: {
    tooLarge: "Файл больше 10 МБ. Выберите изображение поменьше.",
    notAnImage: "Это не изображение. Подойдёт JPEG, PNG, WebP или GIF.",
    tooManyPixels: "Изображение слишком большое по размеру в пикселях (больше 40 мегапикселей).",
    emptyFile: "Файл пустой. Выберите изображение.",
    badPurpose: "Неизвестное назначение изображения.",
    organizationRequired: "Не указана организация для изображения.",
    notAttachable: "Это изображение нельзя использовать: загрузите его заново.",
    uploadFailed: "Не удалось загрузить изображение. Попробуйте ещё раз.",
    network: "Нет связи с сервером. Проверьте интернет и попробуйте ещё раз.",
    storage: "Хранилище изображений недоступно. Попробуйте позже.",
  },
  avatar: {
    label: "Фото профиля",
    saved: "Фото сохранено.",
    removed: "Фото удалено.",
  },
  logo: {
    label: "Логотип",
    saved: "Логотип сохранён.",
    removed: "Логотип удалён.",
    alt: "Логотип организации «{name}»",
  },
};

export const en: typeof ru = {
  upload: {
    choose: "Choose an image",
    replace: "Replace",
    remove: "Remove",
    cancel: "Cancel",
    uploading: "Uploading… {percent}%",
    previewAlt: "Image preview",
    hint: "JPEG, PNG, WebP or GIF, up to {mb} MB.",
  },
  errors: {
    tooLarge: "The file is larger than 10 MB. Choose a smaller image.",
    notAnImage: "This is not an image. Use a JPEG, PNG, WebP or GIF.",
    tooManyPixels: "The image has too many pixels (more than 40 megapixels).",
    emptyFile: "The file is empty. Choose an image.",
    badPurpose: "Unknown image purpose.",
    organizationRequired: "No organization given for the image.",
    notAttachable: "This image cannot be used: upload it again.",
    uploadFailed: "The image could not be uploaded. Please try again.",
    network: "No connection to the server. Check your internet and try again.",
    storage: "Image storage is unavailable. Please try later.",
  },
  avatar: {
    label: "Profile photo",
    saved: "Photo saved.",
    removed: "Photo removed.",
  },
  logo: {
    label: "Logo",
    saved: "Logo saved.",
    removed: "Logo removed.",
    alt: "Logo of {name}",
  },
};
