import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { WS_TOKEN_PROTOCOL_PREFIX } from '../../../shared/web-session';

/** A fresh per-launch secret: 32 random bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Constant-time comparison. Both sides are hashed first so neither the content nor the length of
 * the expected token leaks through timing.
 */
export function tokensEqual(candidate: string, expected: string): boolean {
  const a = createHash('sha256').update(candidate, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && candidate.length === expected.length;
}

/** The token of an `Authorization: Bearer <token>` header. */
function bearerToken(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1] ?? null;
}

/** Tokens offered as `kalam.token.<token>` subprotocols on a WebSocket handshake. */
function subprotocolTokens(headers: IncomingHttpHeaders): string[] {
  const offered = headers['sec-websocket-protocol'];
  if (offered === undefined) return [];
  return offered
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.startsWith(WS_TOKEN_PROTOCOL_PREFIX))
    .map((p) => p.slice(WS_TOKEN_PROTOCOL_PREFIX.length));
}

/**
 * True if the request presents the token: as `Authorization: Bearer <token>` (the page's RPC calls,
 * the CLI-style clients of tests and benches) or, on a WebSocket handshake only, as the
 * `kalam.token.<token>` subprotocol (browsers cannot set headers on a WebSocket). Cookies are
 * never a credential: a browser sends a 127.0.0.1 cookie to every port, so it would reach other
 * local servers.
 */
export function isAuthorized(headers: IncomingHttpHeaders, token: string, { webSocket = false }: { webSocket?: boolean } = {}): boolean {
  const bearer = bearerToken(headers);
  if (bearer !== null && tokensEqual(bearer, token)) return true;
  return webSocket && subprotocolTokens(headers).some((candidate) => tokensEqual(candidate, token));
}

/**
 * Host and Origin checks for a server bound to 127.0.0.1:<port>.
 * - Host must be `127.0.0.1:<port>` or `localhost:<port>`: a DNS-rebinding page reaches the
 *   server under its own host name, which this refuses.
 * - Origin, when a browser sends one, must be `http://127.0.0.1:<port>` or
 *   `http://localhost:<port>`: other sites (and sandboxed frames, "null") may not call in.
 */
export class OriginPolicy {
  readonly hosts: ReadonlySet<string>;
  readonly origins: ReadonlySet<string>;

  constructor(readonly port: number) {
    this.hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    this.origins = new Set([...this.hosts].map((h) => `http://${h}`));
  }

  hostAllowed(host: string | undefined): boolean {
    return host !== undefined && this.hosts.has(host.toLowerCase());
  }

  originAllowed(origin: string | undefined): boolean {
    return origin === undefined || this.origins.has(origin.toLowerCase());
  }

  /** ws:// origins of the server, for the CSP connect-src. */
  get webSocketOrigins(): string[] {
    return [...this.hosts].map((h) => `ws://${h}`);
  }
}
