// Groups: schemas shared by the forms (react-hook-form + zodResolver), the server actions and the
// services. Messages are message keys (groups.validation.*).
import { z } from "zod";
import { normalizeCode } from "@/lib/tickets/codes";

export const GROUP_NAME_MIN = 2;
export const GROUP_NAME_MAX = 100;
export const GROUP_DESCRIPTION_MAX = 1000;

export const groupSchema = z.object({
  name: z
    .string({ error: "groups.validation.nameRequired" })
    .trim()
    .min(1, "groups.validation.nameRequired")
    .min(GROUP_NAME_MIN, "groups.validation.nameTooShort")
    .max(GROUP_NAME_MAX, "groups.validation.nameTooLong"),
  /** Optional: an empty string (or null) is stored as null. */
  description: z
    .string()
    .trim()
    .max(GROUP_DESCRIPTION_MAX, "groups.validation.descriptionTooLong")
    .nullish()
    .transform((v) => (v ? v : null)),
});
export type GroupInput = z.input<typeof groupSchema>;
export type GroupData = z.output<typeof groupSchema>;

/**
 * What a person types or pastes as a group code → the stored form (upper-case, 8 characters of the
 * code alphabet), or null. Accepts lower case, spaces and dashes ("abcd-2345"), and a pasted join
 * link (".../g/ABCD2345").
 */
export function parseGroupCode(input: unknown): string | null {
  if (typeof input !== "string") return null;
  let value = input.trim();
  const link = /\/g\/([^/?#\s]+)/i.exec(value);
  if (link) value = link[1];
  return normalizeCode(value.replace(/[\s-]+/g, ""));
}

export const joinGroupSchema = z.object({
  code: z
    .string({ error: "groups.validation.codeRequired" })
    .trim()
    .min(1, "groups.validation.codeRequired")
    .transform((v, ctx) => {
      const code = parseGroupCode(v);
      if (!code) {
        ctx.addIssue({ code: "custom", message: "groups.validation.codeInvalid" });
        return z.NEVER;
      }
      return code;
    }),
});
export type JoinGroupInput = z.input<typeof joinGroupSchema>;
export type JoinGroupData = z.output<typeof joinGroupSchema>;

export const groupIdSchema = z.object({ groupId: z.string().trim().pipe(z.uuid({ error: "errors.notFound" })) });
export const groupMemberIdSchema = z.object({ memberId: z.string().trim().pipe(z.uuid({ error: "errors.notFound" })) });
