// Developers → Webhooks: client texts (docs/i18n.md). The copy button's texts are the members area's.
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["webhooks", "members.share"]);
