/**
 * The Electron transport handshake. Constants only (no imports): the preload bundles this file.
 *
 *   page ──window.postMessage({ type: PAGE_REQUEST_PORT })──▶ preload
 *   preload ──ipcRenderer.send(TRANSPORT_REQUEST_CHANNEL)──▶ main (checks the sender frame)
 *   main ──frame.postMessage(TRANSPORT_PORT_CHANNEL, null, [port2])──▶ preload
 *   preload ──window.postMessage({ type: PAGE_PORT }, '*', [port2])──▶ page
 *
 * The page then speaks oRPC over that MessagePort (RPCLink from '@orpc/client/message-port').
 */

/** preload → main: "give this frame a transport port". No payload. */
export const TRANSPORT_REQUEST_CHANNEL = 'kalam:transport:request';
/** main → preload: carries the port in `event.ports[0]`. */
export const TRANSPORT_PORT_CHANNEL = 'kalam:transport:port';

/** page → preload, via window.postMessage: `{ type: 'kalam:request-port' }`. */
export const PAGE_REQUEST_PORT = 'kalam:request-port';
/** preload → page, via window.postMessage: `{ type: 'kalam:port' }` with the port in `event.ports[0]`. */
export const PAGE_PORT = 'kalam:port';
