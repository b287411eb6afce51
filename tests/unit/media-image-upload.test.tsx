// @vitest-environment jsdom
// The upload field in a browser-like DOM: refuses an oversized or non-image file without a request,
// sends the file with its purpose and organization, shows progress, reports the server's refusal
// (413 / 415) in words, hands a finished upload to onChange, and "remove" clears it.
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ImageUpload } from "@/components/media/image-upload";
import { I18nProvider } from "@/lib/i18n/client";
import { pick as pickMessages, translatorFor } from "@/lib/i18n/catalogue";
import { en } from "@/lib/i18n/messages";
import { MAX_UPLOAD_BYTES } from "@/lib/media/constants";
import type { MediaDto } from "@/lib/media/urls";

type Sent = { method: string; url: string; body: FormData; respond: (status: number, body: unknown) => void; progress: (loaded: number, total: number) => void };
let sent: Sent[] = [];

class FakeXhr {
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  responseType = "";
  status = 0;
  response: unknown = null;
  private method = "";
  private url = "";
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader() {}
  abort() {
    this.onabort?.();
  }
  send(body: FormData) {
    sent.push({
      method: this.method,
      url: this.url,
      body,
      respond: (status, response) => {
        this.status = status;
        this.response = response;
        this.onload?.();
      },
      progress: (loaded, total) => this.upload.onprogress?.({ lengthComputable: true, loaded, total }),
    });
  }
}

beforeEach(() => {
  sent = [];
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
  URL.createObjectURL = vi.fn(() => "blob:preview");
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderField(props: Partial<Parameters<typeof ImageUpload>[0]> = {}) {
  const onChange = vi.fn<(media: MediaDto | null) => void>();
  const onPendingChange = vi.fn<(pending: boolean) => void>();
  render(
    <I18nProvider locale="en" messages={pickMessages("en", ["media", "errors"])}>
      <ImageUpload purpose="event-cover" organizationSlug="acme" value={null} onChange={onChange} onPendingChange={onPendingChange} label="Cover" {...props} />
    </I18nProvider>,
  );
  const input = screen.getByTestId("image-upload-input") as HTMLInputElement;
  const pick = (file: File) => act(() => fireEvent.change(input, { target: { files: [file] } }));
  return { onChange, onPendingChange, input, pick };
}

const png = (size = 1000, type = "image/png") => new File([new Uint8Array(size)], "photo.png", { type });

describe("ImageUpload", () => {
  test("the input accepts images (camera or gallery on phones) and is labelled", () => {
    const { input } = renderField();
    expect(input.accept).toBe("image/*");
    expect(input.hasAttribute("capture")).toBe(false);
    expect(screen.getByText("Cover")).toBeTruthy();
    expect(screen.getByText(en.media.upload.choose)).toBeTruthy();
    expect(screen.getByText(translatorFor("en")("media.upload.hint", { mb: 10 }))).toBeTruthy();
  });

  test("a file over 10 MB or not an image is refused on the spot, without a request", async () => {
    const { pick, onChange } = renderField();
    await pick(png(MAX_UPLOAD_BYTES + 1));
    expect(screen.getByRole("alert").textContent).toBe(en.media.errors.tooLarge);
    await pick(new File(["hello"], "notes.txt", { type: "text/plain" }));
    expect(screen.getByRole("alert").textContent).toBe(en.media.errors.notAnImage);
    expect(sent).toHaveLength(0);
    expect(onChange).not.toHaveBeenCalled();
  });

  test("uploads with purpose and organization, shows progress, then hands the media to onChange", async () => {
    const { pick, onChange, onPendingChange } = renderField();
    await pick(png());
    expect(sent).toHaveLength(1);
    expect([sent[0]!.method, sent[0]!.url]).toEqual(["POST", "/api/media"]);
    expect(sent[0]!.body.get("purpose")).toBe("event-cover");
    expect(sent[0]!.body.get("organizationSlug")).toBe("acme");
    expect((sent[0]!.body.get("file") as File).name).toBe("photo.png");
    expect(onPendingChange).toHaveBeenLastCalledWith(true);
    expect((screen.getByTestId("image-upload-preview") as HTMLImageElement).src).toBe("blob:preview");

    await act(async () => sent[0]!.progress(50, 100));
    expect(screen.getByText(translatorFor("en")("media.upload.uploading", { percent: 50 }))).toBeTruthy();

    const media: MediaDto = { id: "m1", status: "UPLOADING", width: 10, height: 10, urls: { original: "/media/m1/original.png" } };
    await act(async () => sent[0]!.respond(201, { ok: true, media }));
    expect(onChange).toHaveBeenCalledWith(media);
    expect(onPendingChange).toHaveBeenLastCalledWith(false);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  test("the server's refusals are shown in words (413, 415, a field error)", async () => {
    const { pick, onChange } = renderField();
    await pick(png());
    await act(async () => sent[0]!.respond(413, { ok: false, code: "TOO_LARGE", message: "media.errors.tooLarge" }));
    expect(screen.getByRole("alert").textContent).toBe(en.media.errors.tooLarge);
    await pick(png());
    await act(async () => sent[1]!.respond(415, null));
    expect(screen.getByRole("alert").textContent).toBe(en.media.errors.notAnImage);
    await pick(png());
    await act(async () => sent[2]!.respond(422, { ok: false, code: "TOO_MANY_PIXELS", message: "media.errors.tooManyPixels" }));
    expect(screen.getByRole("alert").textContent).toBe(en.media.errors.tooManyPixels);
    expect(onChange).not.toHaveBeenCalled();
  });

  test("with a value: the preview, a hidden input for plain forms, and remove → onChange(null)", async () => {
    const { onChange } = renderField({ value: { id: "m9", url: "/media/m9/small.webp" }, name: "coverImageId" });
    expect((screen.getByTestId("image-upload-preview") as HTMLImageElement).getAttribute("src")).toBe("/media/m9/small.webp");
    expect((document.querySelector('input[type="hidden"][name="coverImageId"]') as HTMLInputElement).value).toBe("m9");
    expect(screen.getByText(en.media.upload.replace)).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByTestId("image-upload-remove")));
    expect(onChange).toHaveBeenCalledWith(null);
  });
});
