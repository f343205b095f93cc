import { createORPCClient } from '@orpc/client';
import type { ContractRouterClient, InferContractRouterInputs, InferContractRouterOutputs } from '@orpc/contract';
import { createTanstackQueryUtils } from '@orpc/tanstack-query';
import type { Contract } from '../../../shared/contract';
import { createLink } from './transport';

export type ApiClient = ContractRouterClient<Contract>;
export type ApiOutputs = InferContractRouterOutputs<Contract>;
export type ApiInputs = InferContractRouterInputs<Contract>;

/** The one typed client of the engine, over whichever transport this renderer runs on. */
export const client: ApiClient = createORPCClient(createLink());

/** TanStack Query options and keys for every procedure (`orpc.rows.page.infiniteOptions(…)`, …). */
export const orpc = createTanstackQueryUtils(client);
