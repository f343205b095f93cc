/**
 * How the web mode's per-launch token travels, shared by the server (src/main/transports/web) and
 * the page (src/renderer/src/api). No cookie: browsers send a cookie for 127.0.0.1 to every port
 * of 127.0.0.1, so any other local server would receive it.
 *
 * - The launch URL carries the token in its fragment (`http://127.0.0.1:<port>/#token=<token>`).
 *   Browsers never send a fragment to a server, and the page removes it from the address bar.
 * - The page keeps it in sessionStorage, which is scoped to its origin (scheme, host AND port) and
 *   its tab, and sends it only from its own code: `Authorization: Bearer <token>` on RPC calls, and
 *   the `kalam.token.<token>` subprotocol on the WebSocket handshake (browsers cannot set headers
 *   there).
 */

/** The subprotocol the server selects on the WebSocket (it never echoes the token one). */
export const WS_PROTOCOL = 'kalam';

/** Prefix of the subprotocol that carries the token on the WebSocket handshake. */
export const WS_TOKEN_PROTOCOL_PREFIX = 'kalam.token.';

/** The sessionStorage key the page keeps the token under. */
export const TOKEN_STORAGE_KEY = 'kalam.token';

const FRAGMENT = /^#token=([A-Za-z0-9_-]{43})$/;

/** What web mode prints before the launch URL, on its one line of output. */
export const LAUNCH_LINE_PREFIX = 'Kalam Studio web mode: ';

/** The launch line with the address elided, as the page shows it to say where to look. */
export const LAUNCH_LINE_EXAMPLE = `${LAUNCH_LINE_PREFIX}http://127.0.0.1:…/#token=…`;

/** The URL web mode prints: the server's origin with the token in the fragment. */
export function launchUrl(origin: string, token: string): string {
  return `${origin}/#token=${token}`;
}

/** The token of a launch URL's fragment (`#token=…`), or null if the fragment is anything else. */
export function tokenFromFragment(hash: string): string | null {
  return FRAGMENT.exec(hash)?.[1] ?? null;
}
