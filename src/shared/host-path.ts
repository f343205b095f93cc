import { z } from 'zod';

/**
 * An absolute filesystem path of the main process's machine (POSIX "/…", Windows "C:\…" or
 * "\\server\share"). The renderer cannot resolve relative paths against anything meaningful.
 */
export const AbsolutePathSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(4096, 'is too long')
  .refine((s) => !s.includes('\0'), 'must not contain NUL characters')
  .refine((s) => s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s) || s.startsWith('\\\\'), 'must be an absolute path');
