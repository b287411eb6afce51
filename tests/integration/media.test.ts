// Media against a real PostgreSQL database and real sharp, with generated images: uploads (type by
// decoding, EXIF orientation applied and stripped, size and pixel limits), the variants job, the
// cleanup job, attaching avatars and logos, and the permission checks (another organization's member
// → not found, another user's avatar upload cannot be used).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { AppError, type ErrorCode } from "@/lib/errors";
import type { User } from "@/lib/generated/prisma/client";
import { createLocalStep } from "@/lib/jobs/define";
import { mediaCleanupJob, mediaVariantsJob } from "@/lib/worker/functions/media";
import { getOrganizationLogo, getUserAvatar, lockAttachableMedia, setOrganizationLogo, setUserAvatar } from "@/lib/media/attach";
import { cleanupUnreferencedMedia } from "@/lib/media/cleanup";
import { MediaFileError } from "@/lib/media/image";
import { LocalDiskStorage, setMediaStorageForTests } from "@/lib/media/storage";
import { getMedia, uploadImage, type MediaRecord } from "@/lib/media/upload";
import { processMediaVariants } from "@/lib/media/variants";
import { actorOf, type Actor } from "@/lib/permissions";
import { addMember, createEvent, createOrganization, createUser } from "@/tests/helpers/factories";
import { colourAt, pixelBombPng, twoToneImage } from "@/tests/helpers/images";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "aq-media-it-"));
const storage = new LocalDiskStorage(root);
beforeAll(() => setMediaStorageForTests(storage));
afterAll(() => {
  setMediaStorageForTests(undefined);
  fs.rmSync(root, { recursive: true, force: true });
});

const actor = (user: User): Actor => actorOf({ id: user.id, isPlatformAdmin: user.isPlatformAdmin })!;
const fileOnDisk = (storagePath: string) => fs.existsSync(path.join(root, ...storagePath.split("/")));
const filesIn = (mediaId: string) => (fs.existsSync(path.join(root, mediaId)) ? fs.readdirSync(path.join(root, mediaId)).sort() : []);

async function expectAppError(promise: Promise<unknown>, code: ErrorCode, message?: string): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toBe(message);
  return error as AppError;
}

async function upload(user: User, bytes: Buffer, options: { purpose?: string; organizationSlug?: string; filename?: string } = {}): Promise<MediaRecord> {
  return uploadImage({
    actor: actor(user),
    purpose: options.purpose ?? "avatar",
    organizationSlug: options.organizationSlug,
    file: { bytes, filename: options.filename ?? "photo.png", declaredType: "image/png" },
  });
}

function runVariantsJob(mediaId: string) {
  return mediaVariantsJob.run({ event: { name: "media/uploaded", data: { mediaId } }, step: createLocalStep(), attempt: 0, runId: `test-${mediaId}` });
}

async function uploadsOf(user: User) {
  return db.media.count({ where: { uploadedById: user.id } });
}

describe("uploading", () => {
  test("a PNG avatar: normalized original stored, Media UPLOADING without a tenant, the variants job enqueued", async () => {
    const user = await createUser();
    const media = await upload(user, await twoToneImage(2000, 1000, "png"), { filename: "../../etc/My photo.png" });
    expect(media).toMatchObject({ status: "UPLOADING", organizationId: null, uploadedById: user.id, contentType: "image/png", width: 2000, height: 1000, filename: "My photo.png" });
    expect(media.storagePath).toBe(`${media.id}/original.png`);
    expect(fileOnDisk(media.storagePath)).toBe(true);
    expect(media.sizeBytes).toBe(fs.statSync(path.join(root, media.id, "original.png")).size);
    const job = await db.job.findUnique({ where: { dedupeKey: `media-variants:media-uploaded:${media.id}` } });
    expect(job).toMatchObject({ name: "media-variants", eventName: "media/uploaded", status: "PENDING", payload: { mediaId: media.id } });
  });

  test("the variants job makes THUMBNAIL/SMALL/MEDIUM/LARGE WebP files and rows and flips UPLOADING → READY once", async () => {
    const user = await createUser();
    const media = await upload(user, await twoToneImage(2000, 1000, "png"));
    const result = await runVariantsJob(media.id);
    expect(result).toEqual({
      status: "ready",
      variants: [
        { variantType: "THUMBNAIL", width: 150, height: 75 },
        { variantType: "SMALL", width: 300, height: 150 },
        { variantType: "MEDIUM", width: 600, height: 300 },
        { variantType: "LARGE", width: 1200, height: 600 },
      ],
    });
    const row = await db.media.findUniqueOrThrow({ where: { id: media.id }, include: { variants: { orderBy: { width: "asc" } } } });
    expect(row.status).toBe("READY");
    expect(row.variants.map((v) => [v.variantType, v.width, v.height, v.storagePath])).toEqual([
      ["THUMBNAIL", 150, 75, `${media.id}/thumbnail.webp`],
      ["SMALL", 300, 150, `${media.id}/small.webp`],
      ["MEDIUM", 600, 300, `${media.id}/medium.webp`],
      ["LARGE", 1200, 600, `${media.id}/large.webp`],
    ]);
    for (const v of row.variants) {
      const meta = await sharp(fs.readFileSync(path.join(root, ...v.storagePath.split("/")))).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["webp", v.width, v.height]);
    }
    // Again (at-least-once delivery): nothing to do, nothing changes.
    expect(await runVariantsJob(media.id)).toEqual({ status: "skipped", reason: "not-uploading" });
    expect(await db.mediaVariant.count({ where: { mediaId: media.id } })).toBe(4);
  });

  test("a JPEG with EXIF orientation 6 is stored upright, without EXIF", async () => {
    const user = await createUser();
    // 200 × 100 stored sideways: left half red, right half blue; orientation 6 = rotate 90° clockwise.
    const input = await twoToneImage(200, 100, "jpeg", { orientation: 6 });
    const inputMeta = await sharp(input).metadata();
    expect([inputMeta.orientation, inputMeta.exif ? "exif" : "none"]).toEqual([6, "exif"]);

    const media = await upload(user, input, { filename: "IMG_0001.JPG" });
    expect([media.contentType, media.width, media.height]).toEqual(["image/jpeg", 100, 200]);
    const stored = fs.readFileSync(path.join(root, ...media.storagePath.split("/")));
    const meta = await sharp(stored).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 100, 200]);
    expect(meta.orientation).toBeUndefined();
    expect(meta.exif).toBeUndefined();
    // Rotated 90° clockwise: the red left half is now on top, the blue right half at the bottom.
    const top = await colourAt(stored, 50, 20);
    const bottom = await colourAt(stored, 50, 180);
    expect(top.r).toBeGreaterThan(150);
    expect(top.b).toBeLessThan(100);
    expect(bottom.b).toBeGreaterThan(150);
    expect(bottom.r).toBeLessThan(100);
    // Variants follow the upright size.
    await runVariantsJob(media.id);
    const thumb = await db.mediaVariant.findUniqueOrThrow({ where: { mediaId_variantType: { mediaId: media.id, variantType: "THUMBNAIL" } } });
    expect([thumb.width, thumb.height]).toEqual([100, 200]);
  });

  test("GIF and WebP are accepted and kept in their format; a small original is never upscaled", async () => {
    const user = await createUser();
    const gif = await upload(user, await twoToneImage(120, 80, "gif"), { filename: "a.gif" });
    const webp = await upload(user, await twoToneImage(400, 200, "webp"), { filename: "b.webp" });
    expect([gif.contentType, gif.storagePath]).toEqual(["image/gif", `${gif.id}/original.gif`]);
    expect([webp.contentType, webp.storagePath]).toEqual(["image/webp", `${webp.id}/original.webp`]);
    await runVariantsJob(gif.id);
    await runVariantsJob(webp.id);
    const sizes = async (id: string) =>
      (await db.mediaVariant.findMany({ where: { mediaId: id }, orderBy: { variantType: "asc" } })).map((v) => `${v.variantType}:${v.width}x${v.height}`);
    expect(await sizes(gif.id)).toEqual(["THUMBNAIL:120x80", "SMALL:120x80", "MEDIUM:120x80", "LARGE:120x80"]);
    expect(await sizes(webp.id)).toEqual(["THUMBNAIL:150x75", "SMALL:300x150", "MEDIUM:400x200", "LARGE:400x200"]);
  });

  test("refused files write nothing: a text file named .png, an 11 MB payload, a pixel bomb", async () => {
    const user = await createUser();
    const before = fs.readdirSync(root).length;

    const text = await expectAppError(upload(user, Buffer.from("just some text\n".repeat(100)), { filename: "photo.png" }), "VALIDATION", "media.errors.notAnImage");
    expect(text).toBeInstanceOf(MediaFileError);
    expect((text as MediaFileError).status).toBe(415);

    // 11 MB: a valid PNG header followed by padding (the size check comes before any decoding).
    const big = Buffer.concat([await twoToneImage(10, 10, "png"), Buffer.alloc(11 * 1024 * 1024)]);
    const tooLarge = await expectAppError(upload(user, big), "VALIDATION", "media.errors.tooLarge");
    expect((tooLarge as MediaFileError).status).toBe(413);

    const bomb = await expectAppError(upload(user, pixelBombPng()), "VALIDATION", "media.errors.tooManyPixels");
    expect((bomb as MediaFileError).mediaCode).toBe("TOO_MANY_PIXELS");

    expect(await uploadsOf(user)).toBe(0);
    expect(fs.readdirSync(root).length).toBe(before);
  });

  test("purpose and tenant: organization uploads need a staff member of that organization", async () => {
    const { organization, owner } = await createOrganization();
    const { organization: other, owner: otherOwner } = await createOrganization();
    const moderator = await createUser();
    await addMember(organization, moderator);
    const png = await twoToneImage(40, 40, "png");

    const cover = await upload(moderator, png, { purpose: "event-cover", organizationSlug: organization.slug });
    expect(cover.organizationId).toBe(organization.id);
    const logo = await upload(owner, png, { purpose: "organization-logo", organizationSlug: organization.slug });
    expect(logo.organizationId).toBe(organization.id);

    // Another organization's owner: the organization does not exist for them.
    await expectAppError(upload(otherOwner, png, { purpose: "event-cover", organizationSlug: organization.slug }), "NOT_FOUND");
    await expectAppError(
      uploadImage({ actor: actor(otherOwner), purpose: "event-cover", organizationId: organization.id, file: { bytes: png, filename: "x.png" } }),
      "NOT_FOUND",
    );
    await expectAppError(upload(otherOwner, png, { purpose: "event-cover" }), "VALIDATION");
    await expectAppError(upload(otherOwner, png, { purpose: "banner" }), "VALIDATION");
    await expectAppError(uploadImage({ actor: null, purpose: "avatar", file: { bytes: png, filename: "x.png" } }), "UNAUTHENTICATED");
    expect(await uploadsOf(otherOwner)).toBe(0);

    // An avatar upload never belongs to an organization, whatever the request says.
    const avatar = await upload(owner, png, { purpose: "avatar", organizationSlug: other.slug });
    expect(avatar.organizationId).toBeNull();
  });

  test("reading an upload back (polling): the uploader or the organization's staff; anyone else → not found", async () => {
    const { organization, owner } = await createOrganization();
    const { owner: stranger } = await createOrganization();
    const png = await twoToneImage(40, 40, "png");
    const avatar = await upload(owner, png);
    const cover = await upload(owner, png, { purpose: "event-cover", organizationSlug: organization.slug });
    const moderator = await createUser();
    await addMember(organization, moderator);

    expect(await getMedia({ actor: actor(owner), mediaId: avatar.id })).toMatchObject({ id: avatar.id, status: "UPLOADING", urls: { original: `/media/${avatar.id}/original.png` } });
    await expectAppError(getMedia({ actor: actor(moderator), mediaId: avatar.id }), "NOT_FOUND");
    expect((await getMedia({ actor: actor(moderator), mediaId: cover.id })).id).toBe(cover.id);
    await expectAppError(getMedia({ actor: actor(stranger), mediaId: cover.id }), "NOT_FOUND");
    await expectAppError(getMedia({ actor: actor(owner), mediaId: "not-a-uuid" }), "NOT_FOUND");

    await runVariantsJob(cover.id);
    expect((await getMedia({ actor: actor(owner), mediaId: cover.id })).urls).toEqual({
      original: `/media/${cover.id}/original.png`,
      thumbnail: `/media/${cover.id}/thumbnail.webp`,
      small: `/media/${cover.id}/small.webp`,
      medium: `/media/${cover.id}/medium.webp`,
      large: `/media/${cover.id}/large.webp`,
    });
  });
});

describe("attaching", () => {
  test("avatar: the user's own avatar upload only; removal clears it", async () => {
    const user = await createUser({ avatarUrl: "https://t.me/i/userpic/320/old.jpg" });
    const other = await createUser();
    const { organization, owner } = await createOrganization();
    const png = await twoToneImage(64, 64, "png");
    const mine = await upload(user, png);
    const theirs = await upload(other, png);
    const orgMedia = await upload(owner, png, { purpose: "organization-logo", organizationSlug: organization.slug });

    // Another user's avatar upload, an organization upload, garbage → field error, nothing changes.
    for (const mediaId of [theirs.id, orgMedia.id, "0f8c7c1e-3b2a-4c4d-9e8f-000000000000", "nope"]) {
      const error = await expectAppError(setUserAvatar({ actor: actor(user), mediaId }), "VALIDATION");
      expect(error.fieldErrors).toEqual({ avatar: "media.errors.notAttachable" });
    }
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { avatarMediaId: true, avatarUrl: true } })).toEqual({
      avatarMediaId: null,
      avatarUrl: "https://t.me/i/userpic/320/old.jpg",
    });

    expect(await setUserAvatar({ actor: actor(user), mediaId: mine.id })).toEqual({ avatarMediaId: mine.id, avatarUrl: `/media/${mine.id}/original.png` });
    expect((await getUserAvatar({ userId: user.id }))?.id).toBe(mine.id);
    await runVariantsJob(mine.id);
    expect((await getUserAvatar({ userId: user.id }))?.url).toBe(`/media/${mine.id}/small.webp`);

    await setUserAvatar({ actor: actor(user), mediaId: null });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { avatarMediaId: true, avatarUrl: true } })).toEqual({ avatarMediaId: null, avatarUrl: null });
    expect(await getUserAvatar({ userId: user.id })).toBeNull();
    await expectAppError(setUserAvatar({ actor: null, mediaId: null }), "UNAUTHENTICATED");
  });

  test("organization logo: staff of that organization, an upload of that organization; audited", async () => {
    const { organization, owner } = await createOrganization();
    const { organization: other, owner: otherOwner } = await createOrganization();
    const png = await twoToneImage(64, 64, "png");
    const logo = await upload(owner, png, { purpose: "organization-logo", organizationSlug: organization.slug });
    const otherLogo = await upload(otherOwner, png, { purpose: "organization-logo", organizationSlug: other.slug });
    const personal = await upload(owner, png);

    // A member of another organization: not found; an upload of another organization or a personal one: refused.
    await expectAppError(setOrganizationLogo({ actor: actor(otherOwner), slug: organization.slug, mediaId: otherLogo.id }), "NOT_FOUND");
    await expectAppError(setOrganizationLogo({ actor: actor(owner), slug: organization.slug, mediaId: otherLogo.id }), "VALIDATION");
    await expectAppError(setOrganizationLogo({ actor: actor(owner), slug: organization.slug, mediaId: personal.id }), "VALIDATION");

    expect(await setOrganizationLogo({ actor: actor(owner), slug: organization.slug, mediaId: logo.id })).toEqual({ logoMediaId: logo.id, logoUrl: `/media/${logo.id}/original.png` });
    expect((await getOrganizationLogo({ organizationId: organization.id }))?.id).toBe(logo.id);
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: organization.id, action: "organization.updated" } });
    expect(audit.changes).toEqual({ logoMediaId: { from: null, to: logo.id } });

    await setOrganizationLogo({ actor: actor(owner), organizationId: organization.id, mediaId: null });
    expect(await db.organization.findUniqueOrThrow({ where: { id: organization.id }, select: { logoMediaId: true, logoUrl: true } })).toEqual({ logoMediaId: null, logoUrl: null });
  });

  test("a DELETED upload cannot be attached (event covers use the same check)", async () => {
    const { organization, owner } = await createOrganization();
    const media = await upload(owner, await twoToneImage(32, 32, "png"), { purpose: "event-cover", organizationSlug: organization.slug });
    await db.media.update({ where: { id: media.id }, data: { status: "DELETED" } });
    await expectAppError(db.$transaction((tx) => lockAttachableMedia(tx, { mediaId: media.id, organizationId: organization.id, field: "coverImageId" })), "VALIDATION");
  });
});

describe("cleanup", () => {
  test("removes only uploads older than 24 h that no cover, logo or avatar uses", async () => {
    const { organization, owner } = await createOrganization();
    const png = await twoToneImage(300, 200, "png");
    const old = new Date(Date.now() - 25 * 60 * 60 * 1000);

    const orphanReady = await upload(owner, png);
    await runVariantsJob(orphanReady.id);
    const orphanUploading = await upload(owner, png);
    const avatar = await upload(owner, png);
    await setUserAvatar({ actor: actor(owner), mediaId: avatar.id });
    const logo = await upload(owner, png, { purpose: "organization-logo", organizationSlug: organization.slug });
    await setOrganizationLogo({ actor: actor(owner), slug: organization.slug, mediaId: logo.id });
    const cover = await upload(owner, png, { purpose: "event-cover", organizationSlug: organization.slug });
    await createEvent(organization, { coverImageId: cover.id });
    const ids = [orphanReady.id, orphanUploading.id, avatar.id, logo.id, cover.id];
    await db.media.updateMany({ where: { id: { in: ids } }, data: { createdAt: old } });
    const fresh = await upload(owner, png);

    expect(filesIn(orphanReady.id)).toEqual(["large.webp", "medium.webp", "original.png", "small.webp", "thumbnail.webp"]);
    const result = await mediaCleanupJob.run({ event: { name: "inngest/scheduled.timer", data: {} }, step: createLocalStep(), attempt: 0, runId: "cleanup-test" });
    expect(result).toMatchObject({ deleted: 2, files: 6, fileErrors: 0 });

    const rows = await db.media.findMany({ where: { id: { in: [...ids, fresh.id] } }, select: { id: true, status: true, deletedAt: true } });
    const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect(status).toEqual({
      [orphanReady.id]: "DELETED",
      [orphanUploading.id]: "DELETED",
      [avatar.id]: "UPLOADING",
      [logo.id]: "UPLOADING",
      [cover.id]: "UPLOADING",
      [fresh.id]: "UPLOADING",
    });
    expect(rows.find((r) => r.id === orphanReady.id)?.deletedAt).toBeInstanceOf(Date);
    expect(filesIn(orphanReady.id)).toEqual([]);
    expect(filesIn(orphanUploading.id)).toEqual([]);
    expect(await db.mediaVariant.count({ where: { mediaId: orphanReady.id } })).toBe(0);
    for (const kept of [avatar, logo, cover, fresh]) expect(fileOnDisk(kept.storagePath)).toBe(true);

    // A deleted upload: not attachable, not readable, and the variants job leaves it alone.
    await expectAppError(setUserAvatar({ actor: actor(owner), mediaId: orphanUploading.id }), "VALIDATION");
    await expectAppError(getMedia({ actor: actor(owner), mediaId: orphanUploading.id }), "NOT_FOUND");
    expect(await processMediaVariants(orphanUploading.id)).toEqual({ status: "skipped", reason: "not-uploading" });
    expect(filesIn(orphanUploading.id)).toEqual([]);

    // Once the avatar is replaced, the old one is unreferenced and goes on the next run.
    await setUserAvatar({ actor: actor(owner), mediaId: null });
    expect(await cleanupUnreferencedMedia()).toMatchObject({ deleted: 1 });
    expect((await db.media.findUniqueOrThrow({ where: { id: avatar.id } })).status).toBe("DELETED");
  });

  test("an upload being attached while the sweep runs is either kept (attached) or refused, never deleted while used", async () => {
    const owner = await createUser();
    const png = await twoToneImage(32, 32, "png");
    const media = await upload(owner, png);
    await db.media.update({ where: { id: media.id }, data: { createdAt: new Date(Date.now() - 48 * 60 * 60 * 1000) } });
    const [attach, sweep] = await Promise.allSettled([setUserAvatar({ actor: actor(owner), mediaId: media.id }), cleanupUnreferencedMedia()]);
    const row = await db.media.findUniqueOrThrow({ where: { id: media.id } });
    const user = await db.user.findUniqueOrThrow({ where: { id: owner.id } });
    if (attach.status === "fulfilled") {
      expect(row.status).toBe("UPLOADING");
      expect(user.avatarMediaId).toBe(media.id);
    } else {
      expect(row.status).toBe("DELETED");
      expect(user.avatarMediaId).toBeNull();
    }
    expect(sweep.status).toBe("fulfilled");
  });
});
