import bcrypt from "bcryptjs";

/** bcrypt cost 12, as the first version and the issue require. */
export const BCRYPT_COST = 12;

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, BCRYPT_COST);
}

export function verifyPassword(plain: string, hash: string | null | undefined): Promise<boolean> {
  // Compare against a fixed hash when the user has none, so timing does not reveal which accounts exist.
  return bcrypt.compare(plain, hash ?? DUMMY_HASH);
}

// bcrypt hash (cost 12) of a random string nobody knows.
const DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5R0S5zH2o0d3y5a2Q6bXgq6n2XK0H3K";
