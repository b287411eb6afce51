"use client";
// Door-staff links of an event: create one (label + expiry typed in the event's zone), show it ONCE
// with copy buttons and the Telegram deep link, list the links with their state, revoke.
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { createStaffLinkAction, revokeStaffLinkAction } from "@/lib/check-in/actions";
import { formatEventDateTime } from "@/components/events/format";
import { ConfirmDialog } from "@/components/members/confirm-dialog";
import { CopyButton } from "@/components/members/copy-button";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useLocale, useT } from "@/lib/i18n/client";
import { isLocalDateTime, localTimeExists, zonedTimeToUtc } from "@/lib/events/time";
import { STAFF_LINK_LABEL_MAX, type CreatedStaffLink, type StaffLinkRow } from "@/lib/validation/check-in-staff";

type Props = { eventId: string; timeZone: string; links: StaffLinkRow[]; canCreate: boolean };

export function StaffLinks({ eventId, timeZone, links, canCreate }: Props) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const [label, setLabel] = useState("");
  const [expires, setExpires] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedStaffLink | null>(null);
  const [pending, startTransition] = useTransition();
  const labelId = useId();
  const expiresId = useId();

  const fmt = (iso: string) => formatEventDateTime(locale, iso, timeZone);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const next: Record<string, string> = {};
    if (!label.trim()) next.label = "checkIn.server.errors.labelRequired";
    let expiresAt: string | null = null;
    if (expires) {
      if (!isLocalDateTime(expires) || !localTimeExists(expires, timeZone)) next.expiresAt = "checkIn.server.errors.expiresInvalid";
      else expiresAt = zonedTimeToUtc(expires, timeZone).toISOString();
    }
    setErrors(next);
    if (Object.keys(next).length) return;
    startTransition(async () => {
      try {
        const result = await createStaffLinkAction(eventId, { label, expiresAt });
        if (!result.ok) {
          setErrors(result.fieldErrors ?? {});
          if (!result.fieldErrors || Object.keys(result.fieldErrors).length === 0) setFormError(result.message);
          return;
        }
        setCreated(result.link);
        setLabel("");
        setExpires("");
        router.refresh();
      } catch {
        setFormError("errors.internal");
      }
    });
  };

  return (
    <div className="flex flex-col gap-5">
      {canCreate ? (
        <form onSubmit={submit} noValidate className="flex flex-col gap-4" data-testid="staff-link-form">
          {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
          <FormField id={labelId} label={t("events.ui.checkIn.label")} hint={t("events.ui.checkIn.labelHint")} required error={t.dynamic(errors.label) || undefined}>
            {(control) => <Input {...control} value={label} onChange={(e) => setLabel(e.target.value)} maxLength={STAFF_LINK_LABEL_MAX} autoComplete="off" data-testid="staff-link-label" />}
          </FormField>
          <FormField id={expiresId} label={t("events.ui.checkIn.expiresAt")} hint={t("events.ui.checkIn.expiresHint", { zone: timeZone })} error={t.dynamic(errors.expiresAt) || undefined}>
            {(control) => <Input {...control} type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} data-testid="staff-link-expires" />}
          </FormField>
          <Button type="submit" pending={pending} className="self-start" data-testid="create-staff-link">
            {t("events.ui.checkIn.create")}
          </Button>
        </form>
      ) : (
        <Alert variant="info">{t("events.ui.checkIn.closed")}</Alert>
      )}

      <div aria-live="polite">
        {created && (
          <div className="flex flex-col gap-3 rounded-xl border border-emerald-200 bg-emerald-50 p-4" data-testid="staff-link-created">
            <p className="font-medium text-emerald-900">{t("events.ui.checkIn.created")}</p>
            <div className="flex flex-col gap-1">
              <span className="text-sm font-medium text-slate-800">{t("events.ui.checkIn.webLink")}</span>
              <code className="break-all rounded-lg bg-white px-2 py-1 text-sm" data-testid="staff-link-url">
                {created.url}
              </code>
              <CopyButton value={created.url} label={t("events.ui.checkIn.webLink")} testId="copy-staff-link" />
            </div>
            {created.telegramUrl && (
              <div className="flex flex-col gap-1">
                <span className="text-sm font-medium text-slate-800">{t("events.ui.checkIn.telegramLink")}</span>
                <a href={created.telegramUrl} target="_blank" rel="noopener noreferrer" className="break-all text-sm font-medium text-brand-700 underline" data-testid="staff-link-telegram">
                  {created.telegramUrl}
                </a>
                <span className="text-xs text-slate-600">{t("events.ui.checkIn.telegramHint")}</span>
                <CopyButton value={created.telegramUrl} label={t("events.ui.checkIn.telegramLink")} />
              </div>
            )}
          </div>
        )}
      </div>

      {links.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 p-4 text-center text-sm text-slate-700">{t("events.ui.checkIn.empty")}</p>
      ) : (
        <ul className="flex flex-col gap-2" data-testid="staff-link-list">
          {links.map((link) => (
            <li key={link.id} className="flex flex-col gap-1 rounded-xl border border-slate-200 p-3 sm:flex-row sm:items-center sm:justify-between" data-testid="staff-link-item" data-status={link.status}>
              <div className="min-w-0">
                <p className="font-medium break-words text-slate-900">{link.label}</p>
                <p className="text-sm text-slate-600">
                  {link.status === "active" ? t("events.ui.checkIn.statusActive") : link.status === "revoked" ? t("events.ui.checkIn.statusRevoked") : t("events.ui.checkIn.statusExpired")} ·{" "}
                  {t("events.ui.checkIn.until", { date: fmt(link.expiresAt) })} · {t("events.ui.checkIn.checkIns", { count: link.checkIns })} ·{" "}
                  {t("events.ui.checkIn.createdBy", { name: link.createdByName })}
                </p>
              </div>
              {link.status === "active" && (
                <ConfirmDialog
                  triggerLabel={t("events.ui.checkIn.revoke")}
                  triggerAriaLabel={t("events.ui.checkIn.revokeTitle", { label: link.label })}
                  triggerTestId="revoke-staff-link"
                  title={t("events.ui.checkIn.revokeTitle", { label: link.label })}
                  description={t("events.ui.checkIn.revokeText")}
                  confirmLabel={t("events.ui.checkIn.revoke")}
                  cancelLabel={t("events.ui.overview.keep")}
                  onConfirm={() => revokeStaffLinkAction(eventId, link.id)}
                  onDone={() => router.refresh()}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
