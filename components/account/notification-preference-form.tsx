"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { updateNotificationPreferenceAction } from "@/lib/identity/actions/account";
import { useT } from "@/lib/i18n/client";
import {
  NOTIFICATION_PREFERENCES,
  notificationPreferenceSchema,
  type NotificationPreferenceData,
  type NotificationPreferenceInput,
  type NotificationPreferenceValue,
} from "@/lib/validation/notification-preference";

/** Which channels notices take (docs/messages.md): one radio per choice, each with its one-line rule. */
export function NotificationPreferenceForm(props: {
  preference: NotificationPreferenceValue;
  email: string | null;
  hasTelegram: boolean;
  bounced: boolean;
}) {
  const t = useT();
  const [status, setStatus] = useState<{ ok: boolean; message: string } | null>(null);
  const form = useForm<NotificationPreferenceInput, unknown, NotificationPreferenceData>({
    resolver: zodResolver(notificationPreferenceSchema),
    defaultValues: { preference: props.preference },
  });
  const { isSubmitting, errors } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setStatus(null);
    try {
      const result = await updateNotificationPreferenceAction(values);
      setStatus(result.ok ? { ok: true, message: "notificationPrefs.saved" } : { ok: false, message: result.message });
    } catch {
      setStatus({ ok: false, message: "errors.internal" });
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" data-testid="notification-preference-form">
      {props.bounced && props.email && (
        <Alert variant="error">
          <span data-testid="email-bounced">{t("notificationPrefs.bounced", { email: props.email })}</span>
        </Alert>
      )}
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 text-sm font-medium text-slate-800">{t("notificationPrefs.legend")}</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {NOTIFICATION_PREFERENCES.map((value) => (
            <label
              key={value}
              className="flex min-h-12 cursor-pointer items-start gap-3 rounded-xl border border-slate-300 px-3.5 py-3 text-base text-slate-900 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
            >
              <input type="radio" value={value} className="mt-0.5 size-5 shrink-0 accent-brand-600" {...form.register("preference")} data-testid={`preference-${value}`} />
              <span className="flex flex-col gap-0.5">
                <span className="font-medium">{t(`notificationPrefs.options.${value}.label`)}</span>
                <span className="text-sm text-slate-600">{t(`notificationPrefs.options.${value}.hint`)}</span>
              </span>
            </label>
          ))}
        </div>
        {errors.preference?.message && <p className="text-sm text-red-700">{t.dynamic(errors.preference.message)}</p>}
        <p className="text-sm text-slate-600">
          {[!props.hasTelegram ? t("notificationPrefs.noTelegram") : null, !props.email ? t("notificationPrefs.noEmail") : null].filter(Boolean).join(" ")}
        </p>
      </fieldset>
      {status && <Alert variant={status.ok ? "success" : "error"}>{t.dynamic(status.message)}</Alert>}
      <Button type="submit" variant="secondary" pending={isSubmitting} className="self-start">
        {t("notificationPrefs.save")}
      </Button>
    </form>
  );
}
