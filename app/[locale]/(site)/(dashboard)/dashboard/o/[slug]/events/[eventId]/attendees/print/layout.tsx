// The printable attendee list: client texts (the Print button; docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["analyticsExports.print"]);
