// Media: variant size math, srcset building, type sniffing (sharp decides, not the name or MIME),
// pixel and size limits, safe local paths, body size counting, and the storage selection and
// UploadThing request shaping (with UTApi driven by a fake fetch: the network cannot reach UploadThing).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, test } from "vitest";
import { MAX_UPLOAD_BYTES } from "@/lib/media/constants";
import { MediaFileError, normalizeImage, planVariants } from "@/lib/media/image";
import { readBodyWithLimit } from "@/lib/media/http";
import {
  LocalDiskStorage,
  UploadThingStorage,
  contentTypeOfKey,
  createStorage,
  parseUploadThingToken,
  resolveLocalPath,
  uploadThingKeyOf,
} from "@/lib/media/storage";
import { mediaDto, mediaSources, mediaUrl, type MediaWithVariants } from "@/lib/media/urls";
import { pixelBombPng, twoToneImage } from "../helpers/images";

async function refusal(promise: Promise<unknown>): Promise<MediaFileError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaFileError);
  return error as MediaFileError;
}

describe("planVariants", () => {
  test("a large landscape original: 150/300/600/1200 wide, heights by aspect ratio", () => {
    expect(planVariants(4000, 3000)).toEqual([
      { variantType: "THUMBNAIL", width: 150, height: 113 },
      { variantType: "SMALL", width: 300, height: 225 },
      { variantType: "MEDIUM", width: 600, height: 450 },
      { variantType: "LARGE", width: 1200, height: 900 },
    ]);
  });
  test("never upscales: a 400 px original keeps 400 for MEDIUM and LARGE", () => {
    expect(planVariants(400, 800).map((v) => [v.variantType, v.width, v.height])).toEqual([
      ["THUMBNAIL", 150, 300],
      ["SMALL", 300, 600],
      ["MEDIUM", 400, 800],
      ["LARGE", 400, 800],
    ]);
  });
  test("a tiny or extreme image: every variant at its own size, height at least 1 px", () => {
    expect(planVariants(100, 50).every((v) => v.width === 100 && v.height === 50)).toBe(true);
    expect(planVariants(5000, 2).find((v) => v.variantType === "THUMBNAIL")).toEqual({ variantType: "THUMBNAIL", width: 150, height: 1 });
  });
  test("refuses nonsense sizes", () => {
    expect(() => planVariants(0, 10)).toThrow();
    expect(() => planVariants(10.5, 10)).toThrow();
  });
});

describe("mediaSources / mediaDto", () => {
  const base: MediaWithVariants = { id: "m1", status: "UPLOADING", storagePath: "m1/original.jpg", width: 1600, height: 900, variants: [] };
  const ready: MediaWithVariants = {
    ...base,
    status: "READY",
    variants: [
      { variantType: "LARGE", width: 1200, height: 675, storagePath: "m1/large.webp" },
      { variantType: "THUMBNAIL", width: 150, height: 84, storagePath: "m1/thumbnail.webp" },
      { variantType: "MEDIUM", width: 600, height: 338, storagePath: "m1/medium.webp" },
      { variantType: "SMALL", width: 300, height: 169, storagePath: "m1/small.webp" },
    ],
  };

  test("pending: the original, no srcset, the original's size", () => {
    expect(mediaSources(base)).toEqual({ src: "/media/m1/original.jpg", srcSet: undefined, width: 1600, height: 900 });
  });
  test("ready: srcset sorted by width, MEDIUM as src", () => {
    expect(mediaSources(ready)).toEqual({
      src: "/media/m1/medium.webp",
      srcSet: "/media/m1/thumbnail.webp 150w, /media/m1/small.webp 300w, /media/m1/medium.webp 600w, /media/m1/large.webp 1200w",
      width: 1600,
      height: 900,
    });
    expect(mediaSources(ready, "THUMBNAIL").src).toBe("/media/m1/thumbnail.webp");
  });
  test("variants of the same width (a small original) appear once in srcset", () => {
    const small: MediaWithVariants = {
      ...ready,
      width: 200,
      height: 100,
      variants: [
        { variantType: "THUMBNAIL", width: 150, height: 75, storagePath: "m1/thumbnail.webp" },
        { variantType: "SMALL", width: 200, height: 100, storagePath: "m1/small.webp" },
        { variantType: "MEDIUM", width: 200, height: 100, storagePath: "m1/medium.webp" },
        { variantType: "LARGE", width: 200, height: 100, storagePath: "m1/large.webp" },
      ],
    };
    const sources = mediaSources(small);
    expect(sources.srcSet).toBe("/media/m1/thumbnail.webp 150w, /media/m1/small.webp 200w");
    expect(sources.src).toBe("/media/m1/small.webp");
  });
  test("UploadThing paths are used as they are; DTO lists variants only when READY", () => {
    expect(mediaUrl("https://app.ufs.sh/f/abc")).toBe("https://app.ufs.sh/f/abc");
    expect(mediaDto(base).urls).toEqual({ original: "/media/m1/original.jpg" });
    expect(mediaDto({ ...ready, variants: ready.variants }).urls).toMatchObject({ small: "/media/m1/small.webp", large: "/media/m1/large.webp" });
  });
});

describe("normalizeImage: the decoder decides", () => {
  test("a text file named .png is refused as not an image (415)", async () => {
    const error = await refusal(normalizeImage(Buffer.from("hello, I am definitely a PNG\n".repeat(20))));
    expect(error.mediaCode).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(error.status).toBe(415);
    expect(error.fieldErrors).toEqual({ file: "media.errors.notAnImage" });
  });
  test("SVG and TIFF decode in sharp but are not accepted", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    expect((await refusal(normalizeImage(svg))).mediaCode).toBe("UNSUPPORTED_MEDIA_TYPE");
    const tiff = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } }).tiff().toBuffer();
    expect((await refusal(normalizeImage(tiff))).mediaCode).toBe("UNSUPPORTED_MEDIA_TYPE");
  });
  test("a truncated JPEG (valid header, missing data) is refused", async () => {
    const jpeg = await twoToneImage(300, 200, "jpeg");
    expect((await refusal(normalizeImage(jpeg.subarray(0, Math.floor(jpeg.length / 2))))).mediaCode).toBe("UNSUPPORTED_MEDIA_TYPE");
  });
  test("a PNG header declaring 50000 × 50000 is refused before decoding (pixel limit)", async () => {
    const bomb = pixelBombPng();
    expect(bomb.length).toBeLessThan(200_000);
    const error = await refusal(normalizeImage(bomb));
    expect(error.mediaCode).toBe("TOO_MANY_PIXELS");
  });
  test("over 10 MB and empty files are refused", async () => {
    expect((await refusal(normalizeImage(Buffer.alloc(MAX_UPLOAD_BYTES + 1)))).mediaCode).toBe("TOO_LARGE");
    expect((await refusal(normalizeImage(Buffer.alloc(0)))).mediaCode).toBe("EMPTY_FILE");
  });
  test("each accepted format is kept in its own format", async () => {
    for (const format of ["jpeg", "png", "webp", "gif"] as const) {
      const result = await normalizeImage(await twoToneImage(64, 32, format));
      expect(result.format).toBe(format);
      expect([result.width, result.height]).toEqual([64, 32]);
      expect((await sharp(result.bytes).metadata()).format).toBe(format);
    }
  });
});

describe("local paths", () => {
  const root = path.join(os.tmpdir(), "aq-media-root");
  test("keys stay inside the root; traversal, absolute paths and odd segments are refused", () => {
    expect(resolveLocalPath(root, "abc/original.jpg")).toBe(path.join(root, "abc", "original.jpg"));
    for (const bad of ["../etc/passwd", "abc/../../x.jpg", "/etc/passwd", "abc//x.jpg", ".hidden/x.jpg", "abc/.x.jpg", "a\\b.jpg", "", "abc/%2e%2e/x.jpg", "a/b/c/d/e.jpg"]) {
      expect(resolveLocalPath(root, bad), bad).toBeNull();
    }
  });
  test("content types by extension, images only", () => {
    expect(contentTypeOfKey("a/original.jpg")).toBe("image/jpeg");
    expect(contentTypeOfKey("a/small.webp")).toBe("image/webp");
    expect(contentTypeOfKey("a/x.svg")).toBeNull();
    expect(contentTypeOfKey("a/x.html")).toBeNull();
    expect(contentTypeOfKey("a/noext")).toBeNull();
  });
});

describe("readBodyWithLimit", () => {
  function streamOf(totalBytes: number, chunkSize = 256 * 1024): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= totalBytes) return controller.close();
        const n = Math.min(chunkSize, totalBytes - sent);
        sent += n;
        controller.enqueue(new Uint8Array(n));
      },
    });
    return { stream, pulled: () => sent };
  }
  test("an 11 MB body is cut off soon after the limit, not read to the end", async () => {
    const { stream, pulled } = streamOf(11 * 1024 * 1024);
    expect(await readBodyWithLimit(stream, MAX_UPLOAD_BYTES)).toBeNull();
    expect(pulled()).toBeLessThan(MAX_UPLOAD_BYTES + 2 * 256 * 1024);
  });
  test("a body within the limit is returned whole", async () => {
    const { stream } = streamOf(1_000_000);
    expect((await readBodyWithLimit(stream, MAX_UPLOAD_BYTES))?.length).toBe(1_000_000);
  });
});

describe("storage selection and UploadThing request shaping", () => {
  const token = Buffer.from(JSON.stringify({ apiKey: "sk_live_unit", appId: "app42", regions: ["fra1"] })).toString("base64");
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "aq-media-unit-"));
  afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

  test("no token → local disk under MEDIA_DIR; a token → UploadThing; a malformed token → an error", () => {
    const local = createStorage({ MEDIA_DIR: "data/media" }, { cwd: temp });
    expect(local.kind).toBe("local");
    expect((local as LocalDiskStorage).root).toBe(path.join(temp, "data/media"));
    expect(createStorage({ MEDIA_DIR: "x", UPLOADTHING_TOKEN: token }).kind).toBe("uploadthing");
    expect(createStorage({ MEDIA_DIR: "x", UPLOADTHING_TOKEN: "  " }).kind).toBe("local");
    expect(() => createStorage({ MEDIA_DIR: "x", UPLOADTHING_TOKEN: "not-a-token" })).toThrow(/UPLOADTHING_TOKEN/);
    expect(parseUploadThingToken(token)).toEqual({ apiKey: "sk_live_unit", appId: "app42", regions: ["fra1"] });
  });

  test("local disk: put / get / url / delete", async () => {
    const storage = new LocalDiskStorage(path.join(temp, "disk"));
    const stored = await storage.put("m9/original.png", Buffer.from("png-bytes"), "image/png");
    expect(stored).toBe("m9/original.png");
    expect((await storage.get(stored))?.toString()).toBe("png-bytes");
    expect(storage.url(stored)).toBe("/media/m9/original.png");
    await storage.delete([stored]);
    expect(await storage.get(stored)).toBeNull();
    expect(fs.existsSync(path.join(temp, "disk", "m9"))).toBe(false);
    await expect(storage.put("../escape.png", Buffer.from("x"), "image/png")).rejects.toThrow(/Invalid media key/);
  });

  test("UploadThing: uploadFiles PUTs a signed public-read file to the token's region; deleteFiles posts the keys", async () => {
    const calls: { url: string; method: string; headers: Record<string, string>; body: unknown }[] = [];
    const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : null;
      const url = request ? request.url : String(input);
      const method = init?.method ?? request?.method ?? "GET";
      const headers = Object.fromEntries(new Headers(init?.headers ?? request?.headers).entries());
      let body: unknown = init?.body;
      if (body instanceof Uint8Array) body = JSON.parse(Buffer.from(body).toString("utf8"));
      calls.push({ url, method, headers, body });
      if (url.includes(".ingest.uploadthing.com/")) {
        const key = new URL(url).pathname.slice(1);
        const ufsUrl = `https://app42.ufs.sh/f/${key}`;
        return Response.json({ url: ufsUrl, appUrl: ufsUrl, ufsUrl, fileHash: "hash", serverData: null });
      }
      if (url === "https://api.uploadthing.com/v6/deleteFiles") return Response.json({ success: true, deletedCount: 2 });
      return new Response("unexpected", { status: 500 });
    }) as typeof fetch;

    const storage = createStorage({ MEDIA_DIR: path.join(temp, "ut-local"), UPLOADTHING_TOKEN: token }, { fetch: fakeFetch });
    expect(storage).toBeInstanceOf(UploadThingStorage);
    const bytes = await twoToneImage(20, 10, "webp");
    const stored = await storage.put("media-1/small.webp", bytes, "image/webp");

    const put = calls.find((c) => c.method === "PUT");
    expect(put).toBeDefined();
    const putUrl = new URL(put!.url);
    expect(putUrl.hostname).toBe("fra1.ingest.uploadthing.com");
    expect(putUrl.searchParams.get("x-ut-identifier")).toBe("app42");
    expect(putUrl.searchParams.get("x-ut-file-name")).toBe("media-1-small.webp");
    expect(putUrl.searchParams.get("x-ut-file-size")).toBe(String(bytes.length));
    expect(decodeURIComponent(putUrl.searchParams.get("x-ut-file-type") ?? "")).toBe("image/webp");
    expect(putUrl.searchParams.get("x-ut-custom-id")).toBe("aq-media-1-small.webp");
    expect(putUrl.searchParams.get("x-ut-acl")).toBe("public-read");
    expect(putUrl.searchParams.get("x-ut-content-disposition")).toBe("inline");
    expect(putUrl.searchParams.get("signature")).toMatch(/^hmac-sha256=[0-9a-f]{64}$/);
    expect(put!.body).toBeInstanceOf(FormData);

    // The stored path is the file's public URL; its key is what deleteFiles gets.
    const key = putUrl.pathname.slice(1);
    expect(stored).toBe(`https://app42.ufs.sh/f/${key}`);
    expect(storage.url(stored)).toBe(stored);
    expect(uploadThingKeyOf(stored)).toBe(key);

    // A file left on local disk from before the switch is removed from disk, not from UploadThing.
    const localLeft = "old-media/original.png";
    await new LocalDiskStorage(path.join(temp, "ut-local")).put(localLeft, Buffer.from("old"), "image/png");
    await storage.delete([stored, "https://app42.ufs.sh/f/other-key", localLeft]);
    const del = calls.find((c) => c.url === "https://api.uploadthing.com/v6/deleteFiles");
    expect(del?.method).toBe("POST");
    expect(del?.headers["x-uploadthing-api-key"]).toBe("sk_live_unit");
    expect(del?.body).toEqual({ fileKeys: [key, "other-key"] });
    expect(fs.existsSync(path.join(temp, "ut-local", "old-media", "original.png"))).toBe(false);
  });

  test("UploadThing: a failed upload is a StorageError", async () => {
    const failing = new UploadThingStorage({
      uploadFiles: (async () => ({ data: null, error: { code: "INTERNAL_SERVER_ERROR", message: "down", data: undefined } })) as never,
      deleteFiles: (async () => ({ success: true, deletedCount: 0 })) as never,
    });
    await expect(failing.put("m/original.jpg", Buffer.from("x"), "image/jpeg")).rejects.toThrow(/UploadThing upload of m\/original.jpg failed: down/);
  });
});
