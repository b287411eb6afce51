"use server";
// "Send a new link" (the dashboard banner, the account page and an expired link's page), behind the
// action edge (lib/http/action.ts); the `verify-resend` limit per user is the service's.
import { z } from "zod";
import { action } from "@/lib/http/action";
import { resendEmailVerification } from "@/lib/identity/verification";

export const resendVerificationAction = action(
  z.tuple([]),
  async (_, { user }) => ({ email: (await resendEmailVerification({ userId: user.id })).email }),
  { session: "required" },
);
