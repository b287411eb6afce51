// The texts of the event's Analytics tab (its charts' toggle and labels).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["analytics"]);
