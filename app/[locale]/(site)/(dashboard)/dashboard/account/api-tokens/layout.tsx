// The personal API tokens page's client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["apiTokens", "members.share"]);
