// The events list's error state (the pages of one event get the events texts from their layout).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["events.ui.loadError"]);
