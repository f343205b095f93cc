import { implement, os } from '@orpc/server';
import { contract, type ProcedureMeta, type ViewAs } from '../../shared/contract';
import type { Subject } from '../engine/access/subject';
import type { Acting } from './view-as';

/** The process's rules every call passes before its handler runs (built by createServices). */
export interface ProcedureRules {
  /** Who a call acts as: the connection's subject and the call's `as` (see view-as.ts). */
  resolveActing(connection: Subject, as: ViewAs | undefined): Acting;
  /** Throws READ_ONLY while the process is read-only. */
  assertWritable(): void;
}

/** What a connection (a window or a web client) brings to every call. */
export interface ServiceContext {
  readonly connectionId: string;
  /** Who the connection is. Handlers act as `acting`, resolved from the call's `as`, never as this. */
  readonly connection: Subject;
  readonly rules: ProcedureRules;
}

/**
 * Runs after input validation (see `impl`): resolves the call's subject from its `as` (every input
 * has one: src/shared/contract/common.ts `subjectInput`), then refuses a write procedure (meta
 * `writes`) in read-only mode, before its handler runs.
 */
const gate = os
  .$context<ServiceContext>()
  .$meta<ProcedureMeta>({ writes: false })
  .middleware(async ({ context, next, procedure }, input: unknown) => {
    const as = typeof input === 'object' && input !== null ? (input as { as?: ViewAs }).as : undefined;
    const acting = context.rules.resolveActing(context.connection, as);
    if (procedure['~orpc'].meta.writes) context.rules.assertWritable();
    return next({ context: { acting } });
  });

/**
 * The contract, ready to implement; every handler module builds its procedures from it. The gate
 * must see validated input: validation runs at index (initialInputValidationIndex + middlewares),
 * and app-services.ts puts exactly one router middleware (its error boundary) in front of the gate,
 * so -1 places validation between the two.
 */
export const impl = implement(contract, { initialInputValidationIndex: -1 }).$context<ServiceContext>().use(gate);
