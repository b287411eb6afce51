// Claiming a waitlist offer: client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["registrations.claim", "registrations.register", "registrations.validation", "events.validation"]);
