// Public API of the identity area for the other areas of lib/ (server side). Pages, server actions and
// route handlers may import the area's modules directly (the session: ./session.ts, Auth.js: ./auth.ts —
// never from a service, which must not load next/*); client components import only
// lib/identity/types.ts and lib/identity/constants.ts (pure). Narrow on purpose: each name here is one
// another area uses.
import "server-only";

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
