import type { z } from 'zod';
import { type KeyCodec, parseWith, singleStringKey } from './key-codec';
import { idString } from './rules';
import { encodeTuple } from './tuple';

/** A schedule of system.schedules, named by whoever made it ("nightly_backup"). */
export const ScheduleIdSchema = idString.brand<'ScheduleId'>();
export type ScheduleId = z.infer<typeof ScheduleIdSchema>;

export const ScheduleIdKey: KeyCodec<ScheduleId> = {
  kind: 'ScheduleId',
  schema: ScheduleIdSchema,
  encode: (id) => encodeTuple([id]),
  decode: (bytes) => singleStringKey('ScheduleId', bytes) as ScheduleId,
  display: (id) => id,
  parse: (text) => parseWith('ScheduleId', ScheduleIdSchema, text),
};
