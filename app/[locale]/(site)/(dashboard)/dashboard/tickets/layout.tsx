// My tickets: client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["registrations.ticket", "registrations.myTickets", "refunds.cancel", "pay"]);
