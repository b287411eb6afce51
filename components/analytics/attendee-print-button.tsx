"use client";
// The attendee list's "Print" button (the browser's print dialog; the page's print styles do the rest).
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";

export function AttendeePrintButton() {
  const t = useT();
  return (
    <Button type="button" onClick={() => window.print()} className="print:hidden" data-testid="attendee-print-button">
      {t("analyticsExports.print.printButton")}
    </Button>
  );
}
