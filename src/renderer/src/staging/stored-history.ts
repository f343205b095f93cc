import { z } from 'zod';
import { KeyTextSchema, VersionSchema, ViewAsSchema } from '../../../shared/contract';
import { UserIdSchema } from '../../../shared/keys/user-id';
import { NamedValuesSchema } from '../../../shared/own-keys';
import { EMPTY_HISTORY, type EditHistory, type EditStep, HISTORY_LIMIT } from './edit-history';

/**
 * A table's edit history as kept across reloads (localStorage, per data directory and table). Only
 * the writes are kept: staged steps stand for staged edits, which a reload drops by design. What is
 * read back is checked with these schemas and must name the data directory and table it is read
 * for; anything else is dropped whole, never half-used. Every undo it leads to is still checked in
 * the main process (the row procedures' own validation, and the version each write expects).
 */

const AsSchema = ViewAsSchema.optional();
// What the history writes must read back: a label names a row key (up to 2,000 characters) after a
// few words; a step holds as many rows as one delete of a selection took (storage's quota bounds both).
const LabelSchema = z.string().min(1).max(2_100);

// JSON drops `undefined`: an absent `user` or `as` reads back as an undefined key, as the history writes it.
const RowWriteSchema = z.union([
  z
    .strictObject({ op: z.literal('update'), key: KeyTextSchema, before: NamedValuesSchema, after: NamedValuesSchema, version: VersionSchema, as: AsSchema })
    .transform((w) => ({ ...w, as: w.as })),
  /** An insert or a delete keeps the row's values and owner (to delete it, or make it again). */
  z
    .strictObject({
      op: z.enum(['insert', 'delete']),
      key: KeyTextSchema,
      values: NamedValuesSchema,
      user: UserIdSchema.optional(),
      version: VersionSchema,
      as: AsSchema,
    })
    .transform((w) => ({ ...w, user: w.user, as: w.as })),
]);

const WrittenStepSchema = z.strictObject({ kind: z.literal('written'), label: LabelSchema, rows: z.array(RowWriteSchema).min(1) });
const FinalStepSchema = z.strictObject({ kind: z.literal('final'), label: LabelSchema, reason: z.string().min(1).max(1000) });

const StoredHistorySchema = z.strictObject({
  dataDir: z.string().min(1),
  table: z.string().min(1),
  done: z.array(z.discriminatedUnion('kind', [WrittenStepSchema, FinalStepSchema])).max(HISTORY_LIMIT),
  // Only writes are undone (and so redone): a final step is never here.
  undone: z.array(WrittenStepSchema).max(HISTORY_LIMIT),
});

type Kept = Exclude<EditStep, { kind: 'staged' }>;
// The newest HISTORY_LIMIT of each list (a partly undone step redone can take the history one past it).
const kept = (steps: readonly EditStep[]): Kept[] => steps.filter((s): s is Kept => s.kind !== 'staged').slice(-HISTORY_LIMIT);

/** The steps of `history` a reload keeps, in their order. */
export function keptSteps(history: EditHistory): { done: Kept[]; undone: Kept[] } {
  return { done: kept(history.done), undone: kept(history.undone) };
}

/** What is stored for a table's history: its writes, named by data directory and table. */
export function toStored(dataDir: string, table: string, history: EditHistory): { dataDir: string; table: string; done: Kept[]; undone: Kept[] } {
  return { dataDir, table, ...keptSteps(history) };
}

/** A stored history read back: undefined when it does not parse, or belongs to another data directory or table. */
export function fromStored(value: unknown, dataDir: string, table: string): EditHistory | undefined {
  const parsed = StoredHistorySchema.safeParse(value);
  if (!parsed.success || parsed.data.dataDir !== dataDir || parsed.data.table !== table) return undefined;
  const { done, undone } = parsed.data;
  return done.length + undone.length === 0 ? EMPTY_HISTORY : { done, undone };
}
