// The template editor's client texts (docs/i18n.md).
import { textsLayout } from "@/lib/i18n/texts-layout";

export default textsLayout(["telegram.templates", "notices.templates", "common.loading", "errors.internal"]);
