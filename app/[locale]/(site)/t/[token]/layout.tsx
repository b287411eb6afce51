// A guest's ticket: client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["registrations.ticket", "refunds.cancel", "pay"]);
