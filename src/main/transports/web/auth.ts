import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Name of the cookie the `?token=` visit sets; later requests (static files, /rpc, /ws) carry it.
 * One per port: cookies are not scoped by port, so two instances on 127.0.0.1 sharing a name would
 * overwrite each other's cookie, and opening the second would sign the browser out of the first.
 */
export function tokenCookieName(port: number): string {
  return `kalam_token_${port}`;
}

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

/** Values of every cookie named `name` in a Cookie header (a browser may send duplicates). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

/**
 * True if the request carries the token as this server's cookie (the one named for its port) or as
 * `Authorization: Bearer <token>`.
 */
export function isAuthorized(headers: IncomingHttpHeaders, token: string, port: number): boolean {
  const auth = headers.authorization;
  if (auth !== undefined) {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(auth);
    if (match?.[1] !== undefined && tokensEqual(match[1], token)) return true;
  }
  return cookieValues(headers.cookie, tokenCookieName(port)).some((value) => tokensEqual(value, token));
}

/** `Set-Cookie` for the token of the server on `port`: not readable by scripts, never sent cross-site. */
export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
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
