"use client";
// An ImageUpload that saves at once: a new photo (or "remove") goes straight to `action` (a server
// action such as setAvatarAction / setOrganizationLogoAction), then the page refreshes so every place
// that shows the picture updates. Used for the profile photo and the organization logo.
import { useRouter } from "next/navigation";
import { useState, useTransition, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import type { ActionResult } from "@/lib/errors";
import { useT } from "@/lib/i18n/client";
import type { MediaPurpose } from "@/lib/media/constants";
import { dtoPreviewUrl } from "@/lib/media/urls";
import { ImageUpload, type ImageUploadValue } from "./image-upload";

const TEXTS = {
  avatar: { saved: "media.avatar.saved", removed: "media.avatar.removed" },
  "organization-logo": { saved: "media.logo.saved", removed: "media.logo.removed" },
  "event-cover": { saved: "media.logo.saved", removed: "media.logo.removed" },
} as const;

export function SavedImageUpload({
  purpose,
  organizationSlug,
  initial,
  label,
  hint,
  action,
  placeholder,
  previewAlt,
}: {
  purpose: MediaPurpose;
  organizationSlug?: string;
  initial: ImageUploadValue;
  label: ReactNode;
  hint?: ReactNode;
  action: (mediaId: string | null) => Promise<ActionResult>;
  placeholder?: ReactNode;
  previewAlt?: string;
}) {
  const t = useT();
  const router = useRouter();
  const [value, setValue] = useState<ImageUploadValue>(initial);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, startTransition] = useTransition();
  const [uploading, setUploading] = useState(false);

  return (
    <div className="flex flex-col gap-3" aria-busy={saving || uploading || undefined}>
      <ImageUpload
        purpose={purpose}
        organizationSlug={organizationSlug}
        value={value}
        label={label}
        hint={hint}
        placeholder={placeholder}
        previewAlt={previewAlt}
        disabled={saving}
        onPendingChange={(pending) => {
          setUploading(pending);
          if (pending) setStatus(null);
        }}
        onChange={(media) => {
          const previous = value;
          const next = media ? { id: media.id, url: dtoPreviewUrl(media) } : null;
          setValue(next);
          setStatus(null);
          startTransition(async () => {
            try {
              const result = await action(next?.id ?? null);
              if (result.ok) {
                setStatus({ ok: true, text: t.dynamic(next ? TEXTS[purpose].saved : TEXTS[purpose].removed) });
                router.refresh();
              } else {
                setValue(previous);
                const fieldMessage = result.fieldErrors ? Object.values(result.fieldErrors)[0] : undefined;
                setStatus({ ok: false, text: t.dynamic(fieldMessage ?? result.message) });
              }
            } catch {
              setValue(previous);
              setStatus({ ok: false, text: t("errors.internal") });
            }
          });
        }}
      />
      {status && (
        <Alert variant={status.ok ? "success" : "error"} className="self-start">
          <span data-testid="saved-image-status">{status.text}</span>
        </Alert>
      )}
    </div>
  );
}
