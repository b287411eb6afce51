// Session fields of AqStream on top of Auth.js's defaults.
import type { SessionUser } from "./types";

declare module "next-auth" {
  interface Session {
    user: SessionUser & { image?: string | null };
  }
  interface User {
    /** Id of the UserSession row created by this sign-in. */
    sid?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** Id of the UserSession row. */
    sid?: string;
  }
}
