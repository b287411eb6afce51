// Organization members and invites: schemas shared by the forms (react-hook-form + zodResolver), the
// server actions and the services. Messages are message keys (members.validation.*).
import { z } from "zod";

/** Telegram usernames: 5–32 characters of A-Z a-z 0-9 _ (a leading "@" is accepted and dropped). */
export const TELEGRAM_USERNAME_RE = /^[A-Za-z0-9_]{5,32}$/;

export const telegramUsernameSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/^@/, ""))
  .refine((v) => v === "" || TELEGRAM_USERNAME_RE.test(v), "members.validation.telegramUsernameInvalid")
  .optional()
  .transform((v) => (v ? v : undefined));

/** Creating an invite: the role is always MODERATOR; an optional note of whom it is meant for. */
export const createInviteSchema = z.object({
  telegramUsername: telegramUsernameSchema,
});
export type CreateInviteInput = z.input<typeof createInviteSchema>;
export type CreateInviteData = z.output<typeof createInviteSchema>;

const id = (message: string) => z.string({ error: message }).trim().pipe(z.uuid({ error: message }));

export const inviteIdSchema = z.object({ inviteId: id("errors.notFound") });

export const memberIdSchema = z.object({ memberId: id("errors.notFound") });

/** Roles are OWNER and MODERATOR: assigning OWNER is an ownership transfer. */
export const changeRoleSchema = z.object({
  memberId: id("errors.notFound"),
  role: z.enum(["OWNER", "MODERATOR"], { error: "members.validation.roleInvalid" }),
});
export type ChangeRoleInput = z.input<typeof changeRoleSchema>;

/** The transfer form asks the owner to confirm explicitly. */
export const transferOwnershipSchema = z.object({
  memberId: id("errors.notFound"),
  confirm: z.boolean({ error: "members.validation.confirmRequired" }).refine((v) => v, "members.validation.confirmRequired"),
});
export type TransferOwnershipInput = z.input<typeof transferOwnershipSchema>;
