import { eventIterator, oc } from '@orpc/contract';
import { z } from 'zod';

/** Something changed in a table; views showing it refetch. key is null for bulk changes. */
export const ChangeEventSchema = z.object({
  type: z.literal('change'),
  table: z.string(),
  key: z.string().nullable(),
  op: z.enum(['insert', 'update', 'delete', 'bulk']),
});

export const EngineEventSchema = z.discriminatedUnion('type', [
  ChangeEventSchema,
  z.object({ type: z.literal('engine'), readOnly: z.boolean() }),
]);
export type EngineEvent = z.infer<typeof EngineEventSchema>;

export const eventsContract = {
  subscribe: oc.output(eventIterator(EngineEventSchema)),
};
