import { ipcMain, MessageChannelMain, type IpcMainEvent, type MessagePortMain } from 'electron';
import type { Logger } from '../../shared/logger';
import type { MessagePortServer } from '../transports/message-port/port-server';
import { isAppUrl } from './app-protocol';
import { TRANSPORT_PORT_CHANNEL, TRANSPORT_REQUEST_CHANNEL } from '../../shared/electron-ipc';

/** A connection's id names the web contents it serves (see webContentsIdOf). */
function connectionIdOf(contentsId: number, sequence: number): string {
  return `electron-${contentsId}-${sequence}`;
}

/** The id of the web contents a connection of this transport serves; undefined for any other id. */
export function webContentsIdOf(connectionId: string): number | undefined {
  const m = /^electron-(\d+)-\d+$/.exec(connectionId);
  return m ? Number(m[1]) : undefined;
}

/**
 * The one IPC channel: a top-level frame of the app (app://kalam/…) asks for a transport port and
 * gets its own MessageChannelMain; the main end is served by the oRPC message-port handler with
 * a context for that connection. Requests from any other frame (a foreign page, a subframe, a
 * destroyed frame) are refused and logged.
 *
 * Returns a function that unregisters the channel and closes the open ports.
 */
export function registerTransportIpc(portServer: MessagePortServer, logger: Logger): () => void {
  let sequence = 0;
  const openPorts = new Map<number, Set<MessagePortMain>>();

  const onRequest = (event: IpcMainEvent): void => {
    const frame = event.senderFrame;
    if (frame === null || frame.isDestroyed() || frame.parent !== null || !isAppUrl(frame.url)) {
      logger.warn('transport request refused', { url: frame?.url ?? null, isMainFrame: frame?.parent === null });
      return;
    }
    const contents = event.sender;
    const { port1, port2 } = new MessageChannelMain();
    const connectionId = connectionIdOf(contents.id, ++sequence);

    let ports = openPorts.get(contents.id);
    if (ports === undefined) {
      const set = new Set<MessagePortMain>();
      ports = set;
      openPorts.set(contents.id, set);
      contents.once('destroyed', () => {
        for (const port of set) port.close();
        openPorts.delete(contents.id);
      });
    }
    const portsOfContents = ports;
    portsOfContents.add(port1);
    port1.on('close', () => {
      portsOfContents.delete(port1);
      logger.debug('transport port closed', { connectionId });
    });

    portServer.serve(port1, connectionId);
    frame.postMessage(TRANSPORT_PORT_CHANNEL, null, [port2]);
    logger.info('transport port opened', { connectionId });
  };

  ipcMain.on(TRANSPORT_REQUEST_CHANNEL, onRequest);
  return () => {
    ipcMain.removeListener(TRANSPORT_REQUEST_CHANNEL, onRequest);
    for (const ports of openPorts.values()) for (const port of ports) port.close();
    openPorts.clear();
  };
}
