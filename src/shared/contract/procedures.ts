import { isContractProcedure } from '@orpc/contract';
import type { ProcedureMeta } from './common';
import { contract } from './index';

/** One procedure of the contract, as the rules that apply to every procedure see it. */
export interface ContractProcedure {
  /** "rows.create" */
  readonly path: string;
  readonly meta: ProcedureMeta;
  /** Its input schema (Standard Schema; zod here). */
  readonly input: unknown;
}

/**
 * Every procedure of the contract, walked from the contract itself: tests of rules that hold for
 * every procedure (strict inputs, the subject, read-only) iterate this, so a new procedure cannot
 * slip past them.
 */
export function contractProcedures(): ContractProcedure[] {
  const out: ContractProcedure[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (isContractProcedure(node)) {
      const def = node['~orpc'];
      out.push({ path: path.join('.'), meta: def.meta as ProcedureMeta, input: def.inputSchema });
      return;
    }
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) walk(child, [...path, key]);
  };
  walk(contract, []);
  return out;
}
