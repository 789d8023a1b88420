import argon2 from 'argon2';
import { z } from 'zod';

// argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): ~80 ms a hash on a 2-core
// machine. The library default (64 MiB, t=3, p=4) took ~260 ms idle and 2 s under load, capping logins
// at ~3/s (docs/benchmarks.md). Hashes made with other parameters are upgraded at the next login.
const PARAMS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, PARAMS);
}

export function passwordNeedsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, PARAMS);
}

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}

/** Used to spend the same time when the username is unknown, so timing does not reveal which usernames exist. */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-0');
  return dummyHash;
}

/** Password policy: at least 8 characters with letters and digits, at most 128. */
export const passwordSchema = z
  .string()
  .min(8)
  .max(128)
  .regex(/[A-Za-z]/, { message: 'password.letters_and_digits' })
  .regex(/[0-9]/, { message: 'password.letters_and_digits' });
