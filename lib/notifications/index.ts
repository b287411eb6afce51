// Public API of the notifications area (see docs/notifications.md).
import "server-only";

export { NO_CHANNEL_MESSAGE } from "./notify";
export { OUTCOME_UNKNOWN_MESSAGE } from "./deliver";
export { renderNoticePreview } from "./email";
export { notify, noticeCtes, notificationExtraSchema, type NotifyOptions, type NotifyResult, type NotificationExtra, type NotificationButton } from "./notify";
export { deliverNotification, type DeliveryOutcome, type DeliveryOptions } from "./deliver";
export { sweepNotifications, releaseHeldNotifications } from "./sweep";
export { registerPhotoResolver, type PhotoResolver, type PhotoSpec } from "./photos";
export { SYSTEM_TEMPLATES, ensureSystemTemplates, systemTemplate, type SystemTemplate, type SystemTemplateCode } from "./system-templates";
export {
  renderTemplate,
  templateBodyFor,
  validateTemplateBody,
  formatEventDate,
  dateVar,
  escapeTelegramHtml,
  checkTelegramHtml,
  type DateVariable,
  type Locale,
} from "./render";
