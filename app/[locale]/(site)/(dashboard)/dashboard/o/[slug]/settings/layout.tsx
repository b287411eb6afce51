// Organization settings: client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["organizations.settings", "organizations.errors", "organizations.validation", "media"]);
