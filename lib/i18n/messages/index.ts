// One catalogue per locale: the core texts (ru.ts / en.ts), the feature areas (areas.ts) and the
// error messages services raise as "errors.<key>".
import type { Locale } from "../config";
import { areasEn, areasRu } from "./areas";
import { errorsEn as telegramErrorsEn, errorsRu as telegramErrorsRu } from "./areas/bot";
import { coreEn } from "./en";
import { coreRu } from "./ru";

const ruCatalogue = {
  ...coreRu,
  ...areasRu,
  errors: { ...coreRu.errors, ...telegramErrorsRu },
};

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** The shape every catalogue has: nested groups of strings. */
export type Messages = Widen<typeof ruCatalogue>;

export const ru: Messages = ruCatalogue;

export const en: Messages = {
  ...coreEn,
  ...areasEn,
  errors: { ...coreEn.errors, ...telegramErrorsEn },
};

export const catalogues: Record<Locale, Messages> = { ru, en };
