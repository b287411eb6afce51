// The organization requests review: client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["organizations.admin", "organizations.errors", "organizations.validation"]);
