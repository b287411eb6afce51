-- Uploaded profile photos (lib/media): users.avatar_media_id → media. The media cleanup job counts it
-- as a reference, like organizations.logo_media_id and events.cover_image_id.
ALTER TABLE "users" ADD COLUMN "avatar_media_id" UUID;

CREATE INDEX "users_avatar_media_id_idx" ON "users"("avatar_media_id");

ALTER TABLE "users" ADD CONSTRAINT "users_avatar_media_id_fkey" FOREIGN KEY ("avatar_media_id") REFERENCES "media"("id") ON DELETE SET NULL ON UPDATE CASCADE;
