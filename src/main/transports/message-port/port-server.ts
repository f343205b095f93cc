import type { SupportedMessagePort } from '@orpc/client/message-port';
import { onError } from '@orpc/server';
import { RPCHandler } from '@orpc/server/message-port';
import type { Logger } from '../../../shared/logger';
import type { AppServices } from '../../services/app-services';
import { logRpcError } from '../rpc-logging';

/**
 * The server end of a MessagePort (Electron's MessagePortMain, or any port with `start()`):
 * messages queue until `start()` is called, so serve() upgrades first, then starts.
 */
export type ServablePort = SupportedMessagePort & { start(): void };

export interface MessagePortServer {
  /** Serves the whole API on `port` for one connection (one window, one page load). */
  serve(port: ServablePort, connectionId: string): void;
}

export function createMessagePortServer(services: AppServices, logger: Logger): MessagePortServer {
  const handler = new RPCHandler(services.router, {
    interceptors: [onError((error) => logRpcError(logger, 'message-port', error))],
  });
  return {
    serve(port, connectionId) {
      handler.upgrade(port, { context: services.context(connectionId) });
      port.start();
      logger.debug('message port connected', { connectionId });
    },
  };
}
