// The mute page /m/<token>: client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["messages.mute", "messages.errors"]);
