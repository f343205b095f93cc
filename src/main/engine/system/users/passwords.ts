import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

/** What a new password must satisfy; checked before hashing. */
export const PasswordSchema = z.string().min(8, 'must be at least 8 characters').max(1024, 'must be at most 1024 characters');

/** argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 passes). Runs off the JS thread. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}
