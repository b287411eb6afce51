"use client";
// The owner's "invite a moderator" form: an optional Telegram username note, then the new invite's
// links (website, Telegram bot) with copy buttons and a QR code.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { createInviteAction, type CreatedInvite } from "@/lib/organizations/actions/members";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { createInviteSchema, type CreateInviteData, type CreateInviteInput } from "@/lib/validation/members";
import { ShareLink } from "./share-link";

export function InviteForm({ organizationId }: { organizationId: string }) {
  const t = useT();
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useForm<CreateInviteInput, unknown, CreateInviteData>({
    resolver: zodResolver(createInviteSchema),
    defaultValues: { telegramUsername: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit((values) =>
    new Promise<void>((done) => {
      setFormError(null);
      startTransition(async () => {
        try {
          const result = await createInviteAction(organizationId, values);
          if (result.ok) {
            setCreated(result.invite);
            form.reset({ telegramUsername: "" });
            router.refresh();
          } else if (applyServerFieldErrors(result.fieldErrors, ["telegramUsername"], form.setError) === 0) {
            setFormError(result.message);
          }
        } catch {
          setFormError("errors.internal");
        } finally {
          done();
        }
      });
    }),
  );

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label={t("members.invite.title")}>
        {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
        <TextField
          label={t("members.invite.telegramUsername")}
          hint={t("members.invite.telegramUsernameHint")}
          error={t.dynamic(errors.telegramUsername?.message) || undefined}
          inputProps={{ autoComplete: "off", autoCapitalize: "none", spellCheck: false, placeholder: "@username", ...form.register("telegramUsername") }}
        />
        <Button type="submit" pending={isSubmitting || pending} className="self-start" data-testid="create-invite">
          {t("members.invite.submit")}
        </Button>
      </form>
      {created && (
        <div className="flex flex-col gap-4 rounded-xl border border-slate-200 p-4" data-testid="created-invite">
          <Alert variant="success">{t("members.invite.created")}</Alert>
          <ShareLink label={t("members.invite.webLink")} url={created.webUrl} testId="created-invite-web" />
          {created.telegramUrl ? (
            <ShareLink label={t("members.invite.telegramLink")} url={created.telegramUrl} openLabel={t("members.share.open")} testId="created-invite-telegram" />
          ) : (
            <p className="text-sm text-slate-600">{t("members.invite.telegramOff")}</p>
          )}
        </div>
      )}
    </div>
  );
}
