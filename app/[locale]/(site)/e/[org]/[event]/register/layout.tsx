// Registration for an event: client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["registrations.register", "registrations.waitlist", "registrations.validation", "events.validation", "members.share", "promo.ui", "promo.errors"]);
