// Feature areas keep their texts in their own file (lib/i18n/messages/areas/<area>.ts, exporting
// `ru` and `en: typeof ru`), so features can be built side by side. Register each area here once:
//   import * as groups from "./areas/groups";
//   export const areasRu = { groups: groups.ru };
//   export const areasEn: typeof areasRu = { groups: groups.en };
import * as account from "./areas/account";
import * as api from "./areas/api";
import * as bot from "./areas/bot";
import * as events from "./areas/events";
import * as checkIn from "./areas/check-in";
import * as groups from "./areas/groups";
import * as media from "./areas/media";
import * as members from "./areas/members";
import * as organizations from "./areas/organizations";
import * as pay from "./areas/pay";
import * as paymentsAdmin from "./areas/payments-admin";
import * as paymentsDemo from "./areas/payments-demo";
import * as promo from "./areas/promo";
import * as publicSide from "./areas/public";
import * as registrations from "./areas/registrations";
import * as refunds from "./areas/refunds";
import * as registrationsAdmin from "./areas/registrations-admin";
import * as telegram from "./areas/telegram";
import * as notices from "./areas/notices";
import * as messages from "./areas/messages";
import * as notificationPrefs from "./areas/notification-prefs";
import * as analyticsBeacon from "./areas/analytics-beacon";
import * as analyticsExports from "./areas/analytics-exports";
import * as analytics from "./areas/analytics";
import * as apiV1 from "./areas/api-v1";
import * as webhooks from "./areas/webhooks";
import * as apiDocs from "./areas/api-docs";
import * as apiTokens from "./areas/api-tokens";

export const areasRu = {
  account: account.ru,
  api: api.ru,
  bot: bot.ru,
  events: events.ru,
  checkIn: checkIn.ru,
  groups: groups.ru,
  media: media.ru,
  members: members.ru,
  organizations: organizations.ru,
  pay: pay.ru,
  paymentsAdmin: paymentsAdmin.ru,
  paymentsDemo: paymentsDemo.ru,
  promo: promo.ru,
  public: publicSide.ru,
  registrations: registrations.ru,
  registrationsAdmin: registrationsAdmin.ru,
  refunds: refunds.ru,
  telegram: telegram.ru,
  notices: notices.ru,
  messages: messages.ru,
  notificationPrefs: notificationPrefs.ru,
  analyticsBeacon: analyticsBeacon.ru,
  analyticsExports: analyticsExports.ru,
  analytics: analytics.ru,
  apiV1: apiV1.ru,
  webhooks: webhooks.ru,
  apiDocs: apiDocs.ru,
  apiTokens: apiTokens.ru,
};

export const areasEn: typeof areasRu = {
  account: account.en,
  api: api.en,
  bot: bot.en,
  events: events.en,
  checkIn: checkIn.en,
  groups: groups.en,
  media: media.en,
  members: members.en,
  organizations: organizations.en,
  pay: pay.en,
  paymentsAdmin: paymentsAdmin.en,
  paymentsDemo: paymentsDemo.en,
  promo: promo.en,
  public: publicSide.en,
  registrations: registrations.en,
  registrationsAdmin: registrationsAdmin.en,
  refunds: refunds.en,
  telegram: telegram.en,
  notices: notices.en,
  messages: messages.en,
  notificationPrefs: notificationPrefs.en,
  analyticsBeacon: analyticsBeacon.en,
  analyticsExports: analyticsExports.en,
  analytics: analytics.en,
  apiV1: apiV1.en,
  webhooks: webhooks.en,
  apiDocs: apiDocs.en,
  apiTokens: apiTokens.en,
};
