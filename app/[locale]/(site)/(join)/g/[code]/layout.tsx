// Joining a group: client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["auth", "groups.join", "groups.errors", "groups.validation"]);
