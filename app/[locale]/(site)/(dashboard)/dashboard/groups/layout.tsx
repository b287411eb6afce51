// My groups: client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["groups.my", "groups.memberCount", "groups.joinedAt", "groups.errors", "groups.validation", "groups.loadError"]);
