"use client";
// "Join with a code": any signed-in user. Lower case, spaces, dashes and a pasted link all work.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { joinGroupAction } from "@/lib/groups/actions/membership";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { joinGroupSchema, type JoinGroupData, type JoinGroupInput } from "@/lib/validation/groups";

export function JoinGroupForm({ defaultCode = "" }: { defaultCode?: string }) {
  const t = useT();
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useForm<JoinGroupInput, unknown, JoinGroupData>({
    resolver: zodResolver(joinGroupSchema),
    defaultValues: { code: defaultCode },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit((values) =>
    new Promise<void>((done) => {
      setFormError(null);
      setNotice(null);
      startTransition(async () => {
        try {
          const result = await joinGroupAction(values);
          if (result.ok) {
            setNotice(t(result.group.alreadyMember ? "groups.my.alreadyMember" : "groups.my.joined", { name: result.group.groupName }));
            form.reset({ code: "" });
            router.refresh();
          } else if (applyServerFieldErrors(result.fieldErrors, ["code"], form.setError) === 0) {
            // "No group has this code" belongs on the field too.
            if (result.code === "NOT_FOUND") form.setError("code", { type: "server", message: result.message }, { shouldFocus: true });
            else setFormError(result.message);
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
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3" aria-label={t("groups.my.joinTitle")}>
      <div aria-live="polite">{notice && <Alert variant="success">{notice}</Alert>}</div>
      {formError && <Alert variant="error">{t.dynamic(formError)}</Alert>}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <TextField
          className="flex-1"
          label={t("groups.my.codeField")}
          hint={t("groups.my.codeHint")}
          required
          error={t.dynamic(errors.code?.message) || undefined}
          inputProps={{
            autoComplete: "off",
            autoCapitalize: "characters",
            spellCheck: false,
            enterKeyHint: "go",
            className: "font-mono uppercase tracking-widest placeholder:normal-case placeholder:tracking-normal",
            ...form.register("code"),
          }}
        />
        <Button type="submit" size="lg" pending={isSubmitting || pending} className="sm:mt-7" data-testid="join-group">
          {t("groups.my.join")}
        </Button>
      </div>
    </form>
  );
}
