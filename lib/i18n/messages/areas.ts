// Feature areas keep their texts in their own file (lib/i18n/messages/areas/<area>.ts, exporting
// `ru` and `en: typeof ru`), so features can be built side by side. Register each area here once:
//   import * as groups from "./areas/groups";
//   export const areasRu = { groups: groups.ru };
//   export const areasEn: typeof areasRu = { groups: groups.en };
export const areasRu = {};

export const areasEn: typeof areasRu = {};
