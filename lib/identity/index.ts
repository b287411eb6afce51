// Public API of the identity area for the other areas of lib/ (server side). Pages, actions and route
// handlers may import the area's modules directly; client components import only lib/identity/types.ts
// and lib/identity/constants.ts (pure). Kept narrow on purpose: each name here is one another area uses.
import "server-only";

export { getCurrentUser, requireUser } from "./session";
export { updateLocale } from "./account";
export { isVerified } from "./verification";
export {
  confirmBotLogin,
  findUserByTelegramId,
  openBotLogin,
  profileFromTelegramUser,
  upsertTelegramUser,
  type TelegramProfile,
  type TelegramUserRow,
} from "./telegram-auth";
export { linkTelegramWithToken } from "./telegram-link";
