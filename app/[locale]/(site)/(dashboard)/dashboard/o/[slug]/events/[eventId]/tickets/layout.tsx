// The event's tickets page: ticket types ("Hidden") and promo codes — client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["promo.ui", "promo.validation", "promo.errors"]);
