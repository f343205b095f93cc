import type { SupportedMessagePort } from '@orpc/client/message-port';
import { onError } from '@orpc/server';
import { RPCHandler } from '@orpc/server/message-port';
import type { Logger } from '../../../shared/logger';
import type { AppServices, ServiceContext } from '../../services/app-services';
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

/** Serves `services`, or the current ones of `services()` (the app switches data directories): a port is bound to those current when it opens. */
export function createMessagePortServer(services: AppServices | (() => AppServices), logger: Logger): MessagePortServer {
  const current = typeof services === 'function' ? services : () => services;
  const handlers = new WeakMap<AppServices, RPCHandler<ServiceContext>>();
  const handlerOf = (s: AppServices): RPCHandler<ServiceContext> => {
    let handler = handlers.get(s);
    if (handler === undefined) {
      handler = new RPCHandler(s.router, { interceptors: [onError((error) => logRpcError(logger, 'message-port', error))] });
      handlers.set(s, handler);
    }
    return handler;
  };
  return {
    serve(port, connectionId) {
      const s = current();
      handlerOf(s).upgrade(port, { context: s.context(connectionId) });
      port.start();
      logger.debug('message port connected', { connectionId });
    },
  };
}
