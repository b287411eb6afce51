import type { Locale } from "../config";
import { en } from "./en";
import { ru, type Messages } from "./ru";

export type { Messages };

export const catalogues: Record<Locale, Messages> = { ru, en };
