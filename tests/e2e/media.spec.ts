// Media journey: a user sets a profile photo on the account page (a PNG generated in the test, picked
// through the file input as a phone would), sees it, the variants job makes it READY (WebP variants
// served with year-long immutable caching), a file that is not an image is refused with a clear
// message, and the photo can be removed.
import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { expectNoHorizontalScroll, keepScreenshot, query, ru, signUpViaUi, uniqueEmail } from "./support";

async function generatedPng(): Promise<Buffer> {
  // 640 × 480: a warm gradient-ish two-tone picture, big enough for every variant but LARGE.
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 240, g: 120, b: 40 } } })
    .composite([{ input: { create: { width: 320, height: 480, channels: 3, background: { r: 30, g: 90, b: 200 } } }, left: 320, top: 0 }])
    .png()
    .toBuffer();
}

test.describe("media", () => {
  test.describe.configure({ timeout: 180_000 });

  test("a user uploads a profile photo on the account page and sees it @phone-only", async ({ page }, testInfo) => {
    const email = uniqueEmail("avatar");
    await signUpViaUi(page, { email, firstName: "Фото", lastName: "Тестов" });
    await page.goto("/dashboard/account");
    const field = page.getByTestId("image-upload-avatar");
    await expect(field).toBeVisible();
    await expect(field.getByTestId("image-upload-preview")).toHaveCount(0);

    // Not an image (a text file named .png): refused with a clear message, nothing saved.
    await field.getByTestId("image-upload-input").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: Buffer.from("this is not a picture\n".repeat(50)) });
    await expect(field.getByRole("alert")).toHaveText(ru.media.errors.notAnImage);

    await field.getByTestId("image-upload-input").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: await generatedPng() });
    await expect(page.getByTestId("saved-image-status")).toHaveText(ru.media.avatar.saved);
    const preview = field.getByTestId("image-upload-preview");
    await expect(preview).toHaveAttribute("src", /^\/media\/[0-9a-f-]{36}\/(original\.png|small\.webp)$/);
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

    const [user] = await query<{ avatar_media_id: string | null; avatar_url: string | null }>("SELECT avatar_media_id, avatar_url FROM users WHERE email = $1", [email]);
    expect(user?.avatar_media_id).toMatch(/^[0-9a-f-]{36}$/);
    const mediaId = user!.avatar_media_id!;
    expect(user?.avatar_url).toBe(`/media/${mediaId}/original.png`);

    // The embedded job runner makes the variants (polled as a client would, through the API).
    await expect
      .poll(async () => ((await (await page.request.get(`/api/media/${mediaId}`)).json()) as { media?: { status: string } }).media?.status, { timeout: 60_000 })
      .toBe("READY");
    const polled = (await (await page.request.get(`/api/media/${mediaId}`)).json()) as { ok: boolean; media: { urls: Record<string, string> } };
    expect(polled.media.urls).toEqual({
      original: `/media/${mediaId}/original.png`,
      thumbnail: `/media/${mediaId}/thumbnail.webp`,
      small: `/media/${mediaId}/small.webp`,
      medium: `/media/${mediaId}/medium.webp`,
      large: `/media/${mediaId}/large.webp`,
    });
    const variants = await query<{ variant_type: string; width: number }>("SELECT variant_type, width FROM media_variants WHERE media_id = $1 ORDER BY width", [mediaId]);
    expect(variants.map((v) => `${v.variant_type}:${v.width}`)).toEqual(["THUMBNAIL:150", "SMALL:300", "MEDIUM:600", "LARGE:640"]);

    await page.reload();
    await expect(field.getByTestId("image-upload-preview")).toHaveAttribute("src", `/media/${mediaId}/small.webp`);
    await expect.poll(() => field.getByTestId("image-upload-preview").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(300);
    const file = await page.request.get(`/media/${mediaId}/small.webp`);
    expect(file.status()).toBe(200);
    expect(file.headers()["content-type"]).toBe("image/webp");
    expect(file.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect((await page.request.get(`/media/${mediaId}/..%2F..%2Fpackage.json`)).status()).toBe(404);
    expect((await page.request.get(`/media/${mediaId}/nothing.webp`)).status()).toBe(404);

    // The endpoint itself: an 11 MB body → 413 before anything is stored.
    const tooLarge = await page.request.post("/api/media", {
      multipart: { purpose: "avatar", file: { name: "big.png", mimeType: "image/png", buffer: Buffer.alloc(11 * 1024 * 1024, 1) } },
    });
    expect(tooLarge.status()).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ ok: false, code: "TOO_LARGE", messageKey: "media.errors.tooLarge" });
    const [{ count }] = await query<{ count: string }>("SELECT count(*) FROM media m JOIN users u ON u.id = m.uploaded_by WHERE u.email = $1", [email]);
    expect(Number(count)).toBe(1);

    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, `account-avatar-${testInfo.project.name}`);

    // Remove: the initials come back, and the user row forgets the photo.
    await field.getByTestId("image-upload-remove").click();
    await expect(page.getByTestId("saved-image-status")).toHaveText(ru.media.avatar.removed);
    await expect(field.getByTestId("image-upload-preview")).toHaveCount(0);
    await expect
      .poll(async () => (await query<{ avatar_media_id: string | null }>("SELECT avatar_media_id FROM users WHERE email = $1", [email]))[0]?.avatar_media_id)
      .toBeNull();
  });
  test("an owner sets the organization logo in the settings @phone-only", async ({ page }, testInfo) => {
    const email = uniqueEmail("logo");
    await signUpViaUi(page, { email, firstName: "Логотип", lastName: "Владелец" });
    const slug = `logo-${Date.now().toString(36)}`;
    // The organization and its OWNER membership in one statement (the one-owner trigger checks at commit).
    await query(
      `WITH o AS (
         INSERT INTO organizations (id, owner_id, name, slug) SELECT gen_random_uuid(), u.id, $2, $3 FROM users u WHERE u.email = $1 RETURNING id, owner_id
       ) INSERT INTO organization_members (id, organization_id, user_id, role) SELECT gen_random_uuid(), o.id, o.owner_id, 'OWNER' FROM o`,
      [email, "Клуб логотипов", slug],
    );

    await page.goto(`/dashboard/o/${slug}/settings`);
    const field = page.getByTestId("image-upload-organization-logo");
    await expect(field).toBeVisible();
    await field.getByTestId("image-upload-input").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: await generatedPng() });
    await expect(page.getByTestId("saved-image-status")).toHaveText(ru.media.logo.saved);

    const [org] = await query<{ logo_media_id: string | null; tenant_id: string | null; id: string }>(
      "SELECT o.id, o.logo_media_id, m.tenant_id FROM organizations o LEFT JOIN media m ON m.id = o.logo_media_id WHERE o.slug = $1",
      [slug],
    );
    expect(org?.logo_media_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(org?.tenant_id).toBe(org?.id);
    await page.reload();
    await expect(page.getByTestId("image-upload-organization-logo").getByTestId("image-upload-preview")).toHaveAttribute(
      "src",
      new RegExp(`^/media/${org!.logo_media_id}/(original\\.png|small\\.webp)$`),
    );
    await expectNoHorizontalScroll(page);
    await keepScreenshot(page, testInfo, "organization-logo-phone");
  });
});
