// The event's Messages tab and its composer: client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["messages.ui", "messages.validation", "messages.errors"]);
