// Reads QR codes from a playing <video>: the browser's BarcodeDetector where it can read QR codes
// (Android Chrome, Safari 17+), else jsQR on a downscaled canvas frame. jsQR is loaded lazily (dynamic
// import), so it weighs only on the scanner, and only on browsers without a native detector.

type NativeDetector = { detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>> };
type NativeDetectorClass = {
  new (options?: { formats: string[] }): NativeDetector;
  getSupportedFormats(): Promise<string[]>;
};

export type FrameDecoder = {
  kind: "native" | "jsqr";
  /** The text of a QR code in the current frame, or null. */
  decode(video: HTMLVideoElement): Promise<string | null>;
};

/** Longest side of the frame handed to jsQR: enough for a phone-screen or printed ticket at arm's length. */
const MAX_SIDE = 720;

async function nativeDecoder(): Promise<FrameDecoder | null> {
  const Detector = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (!Detector) return null;
  try {
    const formats = await Detector.getSupportedFormats();
    if (!formats.includes("qr_code")) return null;
    const detector = new Detector({ formats: ["qr_code"] });
    return {
      kind: "native",
      async decode(video) {
        const codes = await detector.detect(video);
        return codes.find((c) => c.rawValue)?.rawValue ?? null;
      },
    };
  } catch {
    return null;
  }
}

async function jsqrDecoder(): Promise<FrameDecoder> {
  const { default: jsQR } = await import("jsqr");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) throw new Error("canvas 2d is not available");
  return {
    kind: "jsqr",
    async decode(video) {
      const w = video.videoWidth;
      const h = video.videoHeight;
      if (!w || !h) return null;
      const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      const cw = Math.round(w * scale);
      const ch = Math.round(h * scale);
      if (canvas.width !== cw || canvas.height !== ch) {
        canvas.width = cw;
        canvas.height = ch;
      }
      context.drawImage(video, 0, 0, cw, ch);
      const image = context.getImageData(0, 0, cw, ch);
      // Tickets are dark on light; "attemptBoth" also reads a QR shown inverted on a dark-mode screen.
      const code = jsQR(image.data, cw, ch, { inversionAttempts: "attemptBoth" });
      return code?.data || null;
    },
  };
}

let best: Promise<FrameDecoder> | null = null;

/**
 * The best decoder this browser has (created once). The scanner calls it on opening too, so jsQR's
 * chunk is fetched — and kept by the service worker — while the network is still there.
 */
export function createFrameDecoder(): Promise<FrameDecoder> {
  best ??= (async () => (await nativeDecoder()) ?? (await jsqrDecoder()))();
  best.catch(() => {
    best = null;
  });
  return best;
}
