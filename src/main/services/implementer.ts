import { implement } from '@orpc/server';
import { contract } from '../../shared/contract';
import type { Subject } from '../engine/access/subject';

/** What every procedure runs with: who is asking, over which connection. */
export interface ServiceContext {
  readonly subject: Subject;
  readonly connectionId: string;
}

/** The contract, ready to implement; every handler module builds its procedures from it. */
export const impl = implement(contract).$context<ServiceContext>();
