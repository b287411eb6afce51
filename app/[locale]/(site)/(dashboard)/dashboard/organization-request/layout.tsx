// The organization request form: client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["organizations.request", "organizations.errors", "organizations.validation"]);
