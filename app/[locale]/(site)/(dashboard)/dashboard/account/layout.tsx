// The account pages' client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["account", "auth.passwordHint", "auth.submitting", "locale", "media", "telegram.account", "telegram.login", "messages.mute", "notificationPrefs"]);
