// Feature areas keep their texts in their own file (lib/i18n/messages/areas/<area>.ts, exporting
// `ru` and `en: typeof ru`), so features can be built side by side. Register each area here once:
//   import * as groups from "./areas/groups";
//   export const areasRu = { groups: groups.ru };
//   export const areasEn: typeof areasRu = { groups: groups.en };
import * as account from "./areas/account";
import * as groups from "./areas/groups";
import * as members from "./areas/members";
import * as organizations from "./areas/organizations";
import * as telegram from "./areas/telegram";

export const areasRu = {
  account: account.ru,
  groups: groups.ru,
  members: members.ru,
  organizations: organizations.ru,
  telegram: telegram.ru,
};

export const areasEn: typeof areasRu = {
  account: account.en,
  groups: groups.en,
  members: members.en,
  organizations: organizations.en,
  telegram: telegram.en,
};
