import { z } from 'zod';

/** One problem with the input: `field` is its path into the procedure input (src/shared/field-path.ts), `message` what is wrong. */
export const FieldIssueSchema = z.object({ field: z.string(), message: z.string() });

/**
 * Errors every procedure may return, typed on both sides. The renderer shows `message` as is and
 * puts VALIDATION issues on the fields they name.
 */
export const contractErrors = {
  VALIDATION: { status: 400, message: 'Invalid input', data: z.object({ issues: z.array(FieldIssueSchema) }) },
  NOT_FOUND: { status: 404, message: 'Not found' },
  ALREADY_EXISTS: { status: 409, message: 'Already exists' },
  UNIQUE_VIOLATION: { status: 409, message: 'Value already taken', data: z.object({ field: z.string() }) },
  CONFLICT: {
    status: 409,
    message: 'Changed since it was opened',
    data: z.object({ version: z.string().nullable() }),
  },
  IN_USE: { status: 409, message: 'In use' },
  ACCESS_DENIED: { status: 403, message: 'Access denied' },
  READ_ONLY: { status: 403, message: 'The app is in read-only mode' },
  DECODE: { status: 500, message: 'Stored data cannot be read' },
  STORAGE_FULL: { status: 507, message: 'The disk is full' },
} as const;

export type ContractErrorCode = keyof typeof contractErrors;
