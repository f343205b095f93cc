import { eventIterator } from '@orpc/contract';
import { z } from 'zod';
import { JobSchema } from '../system/jobs';
import { procedure, subjectInput } from './common';
import { TableRefSchema } from '../keys/table-id';

/** Something changed in a table; views showing it refetch. key is null for bulk changes. */
export const ChangeEventSchema = z.object({
  type: z.literal('change'),
  table: z.string(),
  key: z.string().nullable(),
  op: z.enum(['insert', 'update', 'delete', 'bulk']),
  /** Data-table writes: the `_seq` the write stamped (the row's new version; a delete's tombstone). */
  seq: z.number().int().optional(),
});

export const EngineEventSchema = z.discriminatedUnion('type', [
  ChangeEventSchema,
  z.object({ type: z.literal('engine'), readOnly: z.boolean() }),
  /** A job was queued, changed status, or reported progress (throttled). */
  z.object({ type: z.literal('job'), job: JobSchema }),
  /** The whole database was replaced (a restore): every view refetches. */
  z.object({ type: z.literal('reset') }),
]);
export type EngineEvent = z.infer<typeof EngineEventSchema>;

/** `as`: whose events (user-table rows of other users are never sent to a user; the admin sees all). */
export const SubscribeInputSchema = subjectInput({
  /** Tables the client shows; each is recorded in system.live_queries while the stream is open. */
  tables: z.array(TableRefSchema).max(32).optional(),
}).optional();

export const eventsContract = {
  /** Events until the client aborts; the stream's live queries end with it. */
  subscribe: procedure.input(SubscribeInputSchema).output(eventIterator(EngineEventSchema)),
};
