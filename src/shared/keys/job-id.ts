import { z } from 'zod';
import { type KeyCodec, parseWith, singleStringKey } from './key-codec';
import { encodeTuple } from './tuple';

/** Job types and the prefix their ids carry, so an id alone tells what the job does. */
export const JOB_TYPE_PREFIX = {
  flush: 'FL',
  backup: 'BK',
  restore: 'RS',
  evict: 'EV',
  index_rebuild: 'IX',
  compact: 'CP',
  export: 'EX',
  import: 'IM',
  index_verify: 'IV',
} as const;
export type JobType = keyof typeof JOB_TYPE_PREFIX;
export const JOB_TYPES = Object.keys(JOB_TYPE_PREFIX) as [JobType, ...JobType[]];

const prefixes = Object.values(JOB_TYPE_PREFIX).join('|');

export const JobIdSchema = z
  .string()
  .regex(new RegExp(`^(${prefixes})-[A-Za-z0-9_-]{1,64}$`), `must look like <${prefixes}>-<id>`)
  .brand<'JobId'>();
export type JobId = z.infer<typeof JobIdSchema>;

/** The type a job id names by its prefix ("FL-…" is a flush). */
export function jobTypeOfId(id: JobId): JobType {
  const prefix = id.slice(0, id.indexOf('-'));
  const found = JOB_TYPES.find((t) => JOB_TYPE_PREFIX[t] === prefix);
  if (!found) throw new Error(`${id} has no job type prefix`);
  return found;
}

let lastTime = 0;
let counter = 0;

/** New ids sort by creation time (base-36 millisecond clock, then a counter, then randomness). */
export function newJobId(type: JobType, now = Date.now()): JobId {
  if (now === lastTime) counter++;
  else {
    lastTime = now;
    counter = 0;
  }
  const time = now.toString(36).padStart(9, '0');
  const seq = counter.toString(36).padStart(3, '0');
  const rand = Math.floor(Math.random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `${JOB_TYPE_PREFIX[type]}-${time}${seq}${rand}` as JobId;
}

export const JobIdKey: KeyCodec<JobId> = {
  kind: 'JobId',
  schema: JobIdSchema,
  encode: (id) => encodeTuple([id]),
  decode: (bytes) => singleStringKey('JobId', bytes) as JobId,
  display: (id) => id,
  parse: (text) => parseWith('JobId', JobIdSchema, text.trim()),
};
