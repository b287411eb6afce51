// Editing an event (the events texts come from the event layout): client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["media"]);
