// The texts of the organization's analytics dashboard (its charts' toggle and labels).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["analytics"]);
