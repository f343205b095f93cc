import { oc } from '@orpc/contract';
import { z } from 'zod';

export const EngineInfoSchema = z.object({
  appVersion: z.string(),
  mode: z.enum(['electron', 'web']),
  dataDir: z.string(),
  databasePath: z.string(),
  logPath: z.string(),
  schemaVersion: z.number().int(),
  readOnly: z.boolean(),
  sqliteVersion: z.string(),
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;

export const engineContract = {
  info: oc.output(EngineInfoSchema),
  /** Read-only mode is enforced here, in the main process: every write procedure refuses while it is on. */
  setReadOnly: oc.input(z.object({ readOnly: z.boolean() })).output(EngineInfoSchema),
};
