import bcrypt from "bcryptjs";

/**
 * bcrypt cost 12, as the first version and the issue require. Under vitest (VITEST is set by the test
 * runner, never in production) new hashes cost 4: the same code path at a 256th of the CPU — the
 * integration layer hashes hundreds of passwords on two cores (the end-to-end and embedded layers run the
 * production build: cost 12).
 */
export function bcryptCost(env: Record<string, string | undefined> = process.env): number {
  return env.VITEST && env.NODE_ENV !== "production" ? 4 : 12;
}

export const BCRYPT_COST = bcryptCost();

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, BCRYPT_COST);
}

export function verifyPassword(plain: string, hash: string | null | undefined): Promise<boolean> {
  // Compare against a fixed hash when the user has none, so timing does not reveal which accounts exist.
  return bcrypt.compare(plain, hash ?? DUMMY_HASH);
}

// bcrypt hash (cost 12) of a random string nobody knows.
const DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5R0S5zH2o0d3y5a2Q6bXgq6n2XK0H3K";
