import { createORPCClient } from '@orpc/client';
import type { ContractRouterClient, InferContractRouterInputs, InferContractRouterOutputs } from '@orpc/contract';
import { createTanstackQueryUtils } from '@orpc/tanstack-query';
import type { Contract } from '../../../shared/contract';
import { asField, getViewAs } from '../view-as/view-as-store';
import { SubjectLink } from './subject-link';
import { createLink, runtimeMode } from './transport';
import { browserWebSession, type WebSession } from './web-session';

export type ApiClient = ContractRouterClient<Contract>;
export type ApiOutputs = InferContractRouterOutputs<Contract>;
export type ApiInputs = InferContractRouterInputs<Contract>;

/**
 * The web mode's token and whether the server still takes it; null in Electron (MessagePort, no
 * token). Opened before anything reads the route, since it removes the token from the fragment.
 */
export const webSession: WebSession | null = runtimeMode() === 'web' ? browserWebSession() : null;

/** The one typed client of the engine, over whichever transport this renderer runs on, as the viewed-as subject. */
export const client: ApiClient = createORPCClient(new SubjectLink(createLink(webSession), () => asField(getViewAs()).as));

/** TanStack Query options and keys for every procedure (`orpc.rows.page.infiniteOptions(…)`, …). */
export const orpc = createTanstackQueryUtils(client);
