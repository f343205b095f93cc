/**
 * The Electron transport handshake, shared by the main process, the preload and the renderer.
 * No imports: the sandboxed preload bundles this file.
 *
 *   page ──window.postMessage({ type: PAGE_REQUEST_PORT }, pageOrigin)──▶ preload
 *   preload ──ipcRenderer.send(TRANSPORT_REQUEST_CHANNEL)──▶ main (checks the sender frame)
 *   main ──frame.postMessage(TRANSPORT_PORT_CHANNEL, null, [port2])──▶ preload
 *   preload ──window.postMessage({ type: PAGE_PORT }, pageOrigin, [port2])──▶ page
 *
 * The page then speaks oRPC over that MessagePort (src/renderer/src/api/transport.ts).
 */

/** preload → main: "give this frame a transport port". No payload. */
export const TRANSPORT_REQUEST_CHANNEL = 'kalam:transport:request';
/** main → preload: carries the port in `event.ports[0]`. */
export const TRANSPORT_PORT_CHANNEL = 'kalam:transport:port';

/** page → preload, via window.postMessage: `{ type: 'kalam:request-port' }`. */
export const PAGE_REQUEST_PORT = 'kalam:request-port';
/** preload → page, via window.postMessage: `{ type: 'kalam:port' }` with the port in `event.ports[0]`. */
export const PAGE_PORT = 'kalam:port';

/** A window message of the handshake: `{ type }`. */
export function isPageMessage(data: unknown, type: typeof PAGE_REQUEST_PORT | typeof PAGE_PORT): boolean {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === type;
}

/**
 * The target origin of the handshake's window messages: the page's own origin (app://kalam), so a
 * message, and the port it carries, reach nothing else; '*' only where the origin is opaque ("null").
 */
export function pageTargetOrigin(origin: string): string {
  return origin === 'null' ? '*' : origin;
}
