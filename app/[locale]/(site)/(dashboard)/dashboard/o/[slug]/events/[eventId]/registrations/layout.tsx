// Registrations of an event: client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["registrationsAdmin", "refunds"]);
