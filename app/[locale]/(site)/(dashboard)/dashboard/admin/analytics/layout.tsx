// The texts of the platform analytics view (its chart's toggle and labels).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["analytics"]);
