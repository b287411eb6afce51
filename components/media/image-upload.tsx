"use client";
// One image field: pick a photo (gallery or camera on phones), see it at once, watch the upload, get a
// clear error (too large, not an image), remove it. Controlled: the parent keeps `value` and decides what
// to do with `onChange` (put the id in its form, or save it at once — see SavedImageUpload).
//
// The file goes to POST /api/media (lib/media): the server decodes it, so the checks here (size, a
// declared image type) only spare a pointless upload; the server's answer is what counts.
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { buttonClasses } from "@/components/ui/button-styles";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useT } from "@/lib/i18n/client";
import { MAX_UPLOAD_BYTES, MEDIA_API_PATH, type MediaPurpose } from "@/lib/media/constants";
import type { MediaDto } from "@/lib/media/urls";

export type ImageUploadValue = { id: string; url: string } | null;

export type ImageUploadProps = {
  purpose: MediaPurpose;
  /** Required for organization purposes (organization-logo, event-cover): the organization of the URL. */
  organizationSlug?: string;
  /** The current image: its media id and a URL to preview (e.g. mediaVariantUrl(media, "SMALL")). */
  value: ImageUploadValue;
  /** A finished upload (status UPLOADING or READY; variants follow in the background) or null after "remove". */
  onChange: (media: MediaDto | null) => void;
  label: ReactNode;
  /** Under the field; default: the accepted formats and size limit. `null` hides it. */
  hint?: ReactNode;
  /** An error to show from outside (e.g. the form's field error). */
  error?: string;
  /** When set, a hidden input with this name carries the media id (plain <form> submissions). */
  name?: string;
  disabled?: boolean;
  /** Told when an upload starts and ends (forms disable their submit meanwhile). */
  onPendingChange?: (pending: boolean) => void;
  /** Shown in the preview box when there is no image (e.g. the initials of an avatar). */
  placeholder?: ReactNode;
  /** Alt text of the preview image. Default: "Image preview". */
  previewAlt?: string;
  className?: string;
};

type UploadState =
  | { phase: "idle" }
  | { phase: "uploading"; progress: number; previewUrl: string }
  | { phase: "error"; message: string };

type UploadResponse = { ok: true; media: MediaDto } | { ok: false; code: string; message: string; messageKey?: string };

const PREVIEW_SHAPE: Record<MediaPurpose, string> = {
  avatar: "size-24 rounded-full",
  "organization-logo": "size-24 rounded-xl",
  "event-cover": "aspect-video w-full max-w-md rounded-xl",
};

/** Sends the file with progress events (fetch has no upload progress). */
function sendUpload(
  form: FormData,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<{ status: number; body: UploadResponse | null }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", MEDIA_API_PATH);
    xhr.responseType = "json";
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, body: (xhr.response as UploadResponse | null) ?? null });
    xhr.onerror = () => reject(new Error("network"));
    xhr.onabort = () => reject(new DOMException("aborted", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

function messageFor(status: number, body: UploadResponse | null): string {
  if (status === 413) return "media.errors.tooLarge";
  if (status === 415) return "media.errors.notAnImage";
  if (body && !body.ok && (body.messageKey ?? body.message)) return body.messageKey ?? body.message;
  if (status === 429) return "errors.rateLimited";
  return "media.errors.uploadFailed";
}

export function ImageUpload({
  purpose,
  organizationSlug,
  value,
  onChange,
  label,
  hint,
  error,
  name,
  disabled = false,
  onPendingChange,
  placeholder,
  previewAlt,
  className,
}: ImageUploadProps) {
  const t = useT();
  const inputId = useId();
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const statusId = `${inputId}-status`;
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const [state, setState] = useState<UploadState>({ phase: "idle" });

  const uploading = state.phase === "uploading";
  const previewUrl = state.phase === "uploading" ? state.previewUrl : value?.url;

  // The object URL of a local preview is released once it is no longer shown.
  useEffect(() => {
    if (state.phase !== "uploading") return;
    const url = state.previewUrl;
    return () => URL.revokeObjectURL(url);
  }, [state]);

  // An unmounted field stops its upload.
  useEffect(() => () => abortRef.current?.abort(), []);

  const setPending = (pending: boolean) => onPendingChange?.(pending);

  async function upload(file: File) {
    if (file.size > MAX_UPLOAD_BYTES) {
      setState({ phase: "error", message: "media.errors.tooLarge" });
      return;
    }
    if (file.type && !file.type.startsWith("image/")) {
      setState({ phase: "error", message: "media.errors.notAnImage" });
      return;
    }
    abortRef.current?.abort();
    const controller = new AbortController();
    abortRef.current = controller;
    setState({ phase: "uploading", progress: 0, previewUrl: URL.createObjectURL(file) });
    setPending(true);

    const form = new FormData();
    form.set("file", file);
    form.set("purpose", purpose);
    if (organizationSlug) form.set("organizationSlug", organizationSlug);
    try {
      const { status, body } = await sendUpload(
        form,
        (fraction) => setState((s) => (s.phase === "uploading" ? { ...s, progress: Math.min(99, Math.round(fraction * 100)) } : s)),
        controller.signal,
      );
      if (controller.signal.aborted) return;
      if (status >= 200 && status < 300 && body?.ok) {
        setState({ phase: "idle" });
        onChange(body.media);
      } else {
        setState({ phase: "error", message: messageFor(status, body) });
      }
    } catch (e) {
      if (e instanceof DOMException && e.name === "AbortError") return;
      setState({ phase: "error", message: "media.errors.network" });
    } finally {
      if (abortRef.current === controller) abortRef.current = null;
      setPending(false);
      if (inputRef.current) inputRef.current.value = "";
    }
  }

  function cancel() {
    abortRef.current?.abort();
    abortRef.current = null;
    setState({ phase: "idle" });
    setPending(false);
  }

  function remove() {
    setState({ phase: "idle" });
    onChange(null);
    inputRef.current?.focus();
  }

  const shownError = state.phase === "error" ? t.dynamic(state.message) : error;
  const shownHint = hint === undefined ? t("media.upload.hint", { mb: MAX_UPLOAD_BYTES / 1024 / 1024 }) : hint;
  const describedBy = [shownError ? errorId : undefined, shownHint ? hintId : undefined, statusId].filter(Boolean).join(" ");

  return (
    <div className={cn("flex flex-col gap-2", className)} data-testid={`image-upload-${purpose}`}>
      <span className="text-sm font-medium text-slate-800" id={`${inputId}-label`}>
        {label}
      </span>
      <div className="flex flex-wrap items-center gap-4">
        <div
          className={cn(
            "relative flex shrink-0 items-center justify-center overflow-hidden border border-slate-200 bg-slate-50 text-slate-400",
            PREVIEW_SHAPE[purpose],
          )}
        >
          {previewUrl ? (
            // A preview of our own upload (or a local object URL): a plain <img>.
            // eslint-disable-next-line @next/next/no-img-element
            <img
              src={previewUrl}
              alt={previewAlt ?? t("media.upload.previewAlt")}
              className={cn("size-full object-cover", uploading && "opacity-60")}
              data-testid="image-upload-preview"
            />
          ) : placeholder ? (
            placeholder
          ) : (
            <svg viewBox="0 0 24 24" className="size-8" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
              <rect x="3" y="4" width="18" height="16" rx="2" />
              <circle cx="8.5" cy="9.5" r="1.5" />
              <path d="m21 16-5-5L5 20" />
            </svg>
          )}
          {uploading && (
            <div className="absolute inset-x-2 bottom-2 h-1.5 overflow-hidden rounded-full bg-white/80" aria-hidden="true">
              <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${state.progress}%` }} />
            </div>
          )}
        </div>

        <div className="flex flex-wrap items-center gap-2">
          <input
            ref={inputRef}
            id={inputId}
            type="file"
            // image/* lets phones offer the camera and the gallery; the server accepts JPEG, PNG, WebP and GIF.
            accept="image/*"
            className="peer sr-only"
            disabled={disabled || uploading}
            aria-labelledby={`${inputId}-label ${inputId}-choose`}
            aria-describedby={describedBy}
            aria-invalid={shownError ? true : undefined}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void upload(file);
            }}
            data-testid="image-upload-input"
          />
          <label
            htmlFor={inputId}
            id={`${inputId}-choose`}
            className={cn(
              buttonClasses({ variant: "secondary", size: "md" }),
              "cursor-pointer peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-600",
              (disabled || uploading) && "pointer-events-none opacity-60",
            )}
          >
            {value ? t("media.upload.replace") : t("media.upload.choose")}
          </label>
          {uploading ? (
            <Button variant="ghost" onClick={cancel}>
              {t("media.upload.cancel")}
            </Button>
          ) : (
            value && (
              <Button variant="ghost" onClick={remove} disabled={disabled} data-testid="image-upload-remove">
                {t("media.upload.remove")}
              </Button>
            )
          )}
        </div>
      </div>
      {name && <input type="hidden" name={name} value={value?.id ?? ""} />}
      <p id={statusId} className="text-sm text-slate-600" aria-live="polite">
        {uploading ? t("media.upload.uploading", { percent: state.progress }) : ""}
      </p>
      {shownHint && !shownError && (
        <p id={hintId} className="text-sm text-slate-500">
          {shownHint}
        </p>
      )}
      {shownError && (
        <p id={errorId} role="alert" className="text-sm font-medium text-red-700" data-field-error>
          {shownError}
        </p>
      )}
    </div>
  );
}
