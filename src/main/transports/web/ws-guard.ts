import { decodeRequestMessage } from '@orpc/standard-server-peer';
import type { WebSocket } from 'ws';

/** Close code for a message that is not the protocol's (RFC 6455: "invalid frame payload data"). */
export const WS_INVALID_DATA = 1007;

type Socket = Pick<WebSocket, 'addEventListener' | 'send' | 'close'>;
type Listener = Parameters<WebSocket['addEventListener']>[1];

/**
 * The socket as oRPC's WebSocket handler sees it, with messages it cannot decode taken out first.
 * oRPC would print each through console.error with a stack, so a client sending thousands would
 * fill the terminal and its log; here each goes to `onMalformed` (logged once per kind) and the
 * socket is closed, since a peer that sent one no longer speaks the protocol. The check decodes
 * what oRPC decodes again; the socket carries only the event stream, so that costs little.
 */
export function guardedSocket(ws: Socket, onMalformed: (error: unknown) => void): Pick<WebSocket, 'addEventListener' | 'send'> {
  // Checks run one after another, so messages reach oRPC in the order they came.
  let queue: Promise<void> = Promise.resolve();
  return {
    send: ws.send.bind(ws),
    addEventListener: (type: string, listener: Listener, options?: unknown) => {
      if (type !== 'message') return ws.addEventListener(type as 'close', listener, options as never);
      const pass = listener as (event: unknown) => void;
      const check = async (event: { data: unknown }): Promise<void> => {
        try {
          await decodeRequestMessage(event.data as never);
        } catch (error) {
          onMalformed(error);
          ws.close(WS_INVALID_DATA, 'malformed message');
          return;
        }
        pass(event);
      };
      const checked = (event: { data: unknown }): void => {
        queue = queue.then(() => check(event));
      };
      return ws.addEventListener('message', checked, options as never);
    },
  };
}
