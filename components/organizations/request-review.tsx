"use client";
// One pending request in the admin queue: approve, or decline with a comment (10–1000 characters).
import { zodResolver } from "@hookform/resolvers/zod";
import { createContext, useContext, useId, useState, useTransition, type ReactNode } from "react";
import { useForm } from "react-hook-form";
import { approveRequestAction, rejectRequestAction } from "@/lib/organizations/actions/review";
import { applyServerFieldErrors } from "@/components/auth/apply-server-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { useT } from "@/lib/i18n/client";
import { REVIEW_COMMENT_MAX, rejectRequestSchema, type RejectRequestData, type RejectRequestInput } from "@/lib/validation/organizations";
import { Textarea } from "./textarea";

type Feedback = { variant: "error" | "success"; text: string } | null;

const FeedbackContext = createContext<(feedback: Feedback) => void>(() => {});

/**
 * Wraps the queue and shows the outcome of the last decision above it. A decided request leaves the
 * pending list when the page refreshes (its card unmounts), so the message lives here, not in the card.
 */
export function ReviewFeedbackProvider({ children }: { children: ReactNode }) {
  const [feedback, setFeedback] = useState<Feedback>(null);
  return (
    <FeedbackContext.Provider value={setFeedback}>
      {feedback && (
        <Alert variant={feedback.variant} className="mb-4">
          <span data-testid="review-feedback">{feedback.text}</span>
        </Alert>
      )}
      {children}
    </FeedbackContext.Provider>
  );
}

export function RequestReviewActions({ requestId, requestName }: { requestId: string; requestName: string }) {
  const t = useT();
  const setMessage = useContext(FeedbackContext);
  const [mode, setMode] = useState<"idle" | "rejecting">("idle");
  const [approving, startApprove] = useTransition();
  const [rejecting, startReject] = useTransition();
  const formId = useId();

  const form = useForm<RejectRequestInput, unknown, RejectRequestData>({
    resolver: zodResolver(rejectRequestSchema),
    defaultValues: { requestId, comment: "" },
  });
  const busy = approving || rejecting || form.formState.isSubmitting;

  function approve() {
    setMessage(null);
    startApprove(async () => {
      try {
        const result = await approveRequestAction({ requestId });
        if (result.ok) {
          setMessage({ variant: "success", text: t("organizations.admin.approved", { name: result.organizationName }) });
        } else {
          setMessage({ variant: "error", text: t.dynamic(result.message) });
        }
      } catch {
        setMessage({ variant: "error", text: t("errors.internal") });
      }
    });
  }

  const onReject = form.handleSubmit((values) =>
    new Promise<void>((done) => {
      setMessage(null);
      startReject(async () => {
        try {
          const result = await rejectRequestAction(values);
          if (result.ok) {
            setMessage({ variant: "success", text: t("organizations.admin.rejected") });
            setMode("idle");
          } else if (applyServerFieldErrors(result.fieldErrors, ["comment"] as const, form.setError) === 0) {
            setMessage({ variant: "error", text: t.dynamic(result.message) });
          }
        } catch {
          setMessage({ variant: "error", text: t("errors.internal") });
        } finally {
          done();
        }
      });
    }),
  );

  const commentError = t.dynamic(form.formState.errors.comment?.message) || undefined;

  return (
    <div className="flex flex-col gap-3">
      {mode === "idle" ? (
        <div className="flex flex-col gap-2 sm:flex-row">
          <Button onClick={approve} pending={approving} disabled={busy} aria-label={`${t("organizations.admin.approve")}: ${requestName}`}>
            {approving ? t("organizations.admin.approving") : t("organizations.admin.approve")}
          </Button>
          <Button variant="secondary" onClick={() => setMode("rejecting")} disabled={busy} aria-label={`${t("organizations.admin.reject")}: ${requestName}`}>
            {t("organizations.admin.reject")}
          </Button>
        </div>
      ) : (
        <form id={formId} onSubmit={onReject} noValidate className="flex flex-col gap-3">
          <FormField label={t("organizations.admin.rejectComment")} hint={t("organizations.admin.rejectCommentHint")} error={commentError} required>
            {(control) => <Textarea {...control} rows={3} maxLength={REVIEW_COMMENT_MAX} autoFocus {...form.register("comment")} />}
          </FormField>
          <div className="flex flex-col gap-2 sm:flex-row">
            <Button type="submit" variant="danger" pending={rejecting} disabled={busy}>
              {rejecting ? t("organizations.admin.rejecting") : t("organizations.admin.confirmReject")}
            </Button>
            <Button variant="ghost" onClick={() => setMode("idle")} disabled={busy}>
              {t("organizations.admin.cancel")}
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
