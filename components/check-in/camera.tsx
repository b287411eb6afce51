"use client";
// The camera viewfinder: rear camera preferred, continuous decoding (BarcodeDetector or lazily loaded
// jsQR, lib/check-in/client/qr-decoder.ts) a few times a second, and a clear message when the camera
// is blocked, missing or busy. It stops the stream when switched off, hidden or unmounted.
import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { createFrameDecoder, type FrameDecoder } from "@/lib/check-in/client/qr-decoder";
import { useT } from "@/lib/i18n/client";

export type CameraStatus = "idle" | "starting" | "running" | "denied" | "notFound" | "unavailable" | "busy" | "failed";

const DECODE_INTERVAL_MS = 120;

function statusOf(error: unknown): CameraStatus {
  const name = error instanceof Error || error instanceof DOMException ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") return "denied";
  if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") return "notFound";
  if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") return "busy";
  return "failed";
}

async function openStream(): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch (error) {
    // A camera that cannot meet the wishes still beats none.
    if (error instanceof Error && error.name === "OverconstrainedError") return navigator.mediaDevices.getUserMedia({ audio: false, video: true });
    throw error;
  }
}

/** `paused`: keep the stream but stop reading codes (a sheet covers the viewfinder). */
export function Camera({ onCode, onStart, paused = false }: { onCode: (text: string) => void; onStart?: () => void; paused?: boolean }) {
  const t = useT();
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const decoderRef = useRef<Promise<FrameDecoder> | null>(null);
  const loopRef = useRef<ReturnType<typeof setTimeout> | null>(null);
  const wantedRef = useRef(false);
  const onCodeRef = useRef(onCode);
  const pausedRef = useRef(paused);
  const [status, setStatus] = useState<CameraStatus>("idle");

  useEffect(() => {
    onCodeRef.current = onCode;
    pausedRef.current = paused;
  }, [onCode, paused]);

  const stopStream = useCallback(() => {
    if (loopRef.current) clearTimeout(loopRef.current);
    loopRef.current = null;
    streamRef.current?.getTracks().forEach((track) => track.stop());
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
  }, []);

  const decodeLoop = useCallback(() => {
    const step = async () => {
      const video = videoRef.current;
      if (!video || !streamRef.current) return;
      try {
        if (video.readyState >= 2 && !pausedRef.current) {
          decoderRef.current ??= createFrameDecoder();
          const decoder = await decoderRef.current;
          const text = await decoder.decode(video);
          if (text && streamRef.current) onCodeRef.current(text);
        }
      } catch {
        // A frame that cannot be read: try the next one.
      }
      if (streamRef.current) loopRef.current = setTimeout(() => void step(), DECODE_INTERVAL_MS);
    };
    void step();
  }, []);

  const start = useCallback(async () => {
    wantedRef.current = true;
    onStart?.();
    if (!navigator.mediaDevices?.getUserMedia) {
      setStatus("unavailable");
      return;
    }
    setStatus("starting");
    stopStream();
    try {
      const stream = await openStream();
      if (!wantedRef.current) {
        stream.getTracks().forEach((track) => track.stop());
        return;
      }
      streamRef.current = stream;
      const video = videoRef.current;
      if (video) {
        video.srcObject = stream;
        await video.play().catch(() => {});
      }
      // Load the decoder while the first frames arrive.
      decoderRef.current ??= createFrameDecoder();
      setStatus("running");
      decodeLoop();
    } catch (error) {
      wantedRef.current = false;
      setStatus(statusOf(error));
    }
  }, [decodeLoop, onStart, stopStream]);

  const stop = useCallback(() => {
    wantedRef.current = false;
    stopStream();
    setStatus("idle");
  }, [stopStream]);

  // No camera in the background: stop when the page is hidden, resume when it is back.
  useEffect(() => {
    const onVisibility = () => {
      if (!wantedRef.current) return;
      if (document.visibilityState === "hidden") stopStream();
      else void start();
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      wantedRef.current = false;
      stopStream();
    };
  }, [start, stopStream]);

  const running = status === "running";
  const problem =
    status === "denied"
      ? t("checkIn.scanner.camera.denied")
      : status === "notFound"
        ? t("checkIn.scanner.camera.notFound")
        : status === "unavailable"
          ? t("checkIn.scanner.camera.unavailable")
          : status === "busy"
            ? t("checkIn.scanner.camera.busy")
            : status === "failed"
              ? t("checkIn.scanner.camera.failed")
              : null;

  return (
    <section className="relative flex min-h-0 flex-1 flex-col overflow-hidden rounded-2xl bg-black" data-testid="camera" data-status={status}>
      <video
        ref={videoRef}
        className={running ? "h-full w-full flex-1 object-cover" : "hidden"}
        playsInline
        muted
        aria-label={t("checkIn.scanner.camera.videoLabel")}
      />
      {running && (
        <>
          {/* The aiming frame. */}
          <div aria-hidden="true" className="pointer-events-none absolute inset-0 flex items-center justify-center">
            <div className="aspect-square w-3/5 max-w-72 rounded-3xl border-4 border-white/80 shadow-[0_0_0_9999px_rgba(0,0,0,0.35)]" />
          </div>
          <p className="absolute inset-x-0 top-3 text-center text-sm font-medium text-white drop-shadow">{t("checkIn.scanner.camera.hint")}</p>
          <div className="absolute inset-x-0 bottom-3 flex justify-center">
            <Button variant="secondary" size="sm" onClick={stop}>
              {t("checkIn.scanner.camera.stop")}
            </Button>
          </div>
        </>
      )}
      {!running && (
        <div className="flex flex-1 flex-col items-center justify-center gap-4 p-6 text-center">
          {problem ? (
            <p role="alert" className="max-w-sm text-base text-amber-200" data-testid="camera-problem">
              {problem}
            </p>
          ) : null}
          <Button size="lg" onClick={() => void start()} pending={status === "starting"} className="min-w-56">
            <CameraIcon />
            {status === "starting"
              ? t("checkIn.scanner.camera.starting")
              : problem
                ? t("checkIn.scanner.camera.retry")
                : t("checkIn.scanner.camera.start")}
          </Button>
        </div>
      )}
    </section>
  );
}

function CameraIcon() {
  return (
    <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <path d="M4 8h3l2-3h6l2 3h3v11H4z" strokeLinejoin="round" />
      <circle cx="12" cy="13" r="3.5" />
    </svg>
  );
}
