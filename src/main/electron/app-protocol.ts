import { protocol } from 'electron';
import { securityHeaders } from '../transports/static/security-headers';
import { loadStaticAsset } from '../transports/static/static-files';

/**
 * The renderer is served from `app://kalam/…`, a privileged standard scheme, not file://: it gets
 * a real origin (so 'self' in the CSP means just the app), and only out/renderer is reachable.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kalam';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Must run before the app is ready. */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** True only for URLs of the app's own origin, `app://kalam/…`. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

export interface ProtocolRequest {
  readonly url: string;
  readonly method: string;
}

/** Serves files of `rendererDir` for `app://kalam/…` with the CSP; refuses everything else. */
export function createAppProtocolHandler(rendererDir: string): (request: ProtocolRequest) => Promise<Response> {
  const headers = securityHeaders();
  const text = (status: number, message: string): Response =>
    new Response(message, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });

  return async (request) => {
    const path = rawPathOf(request.url);
    if (path === null || !isAppUrl(request.url)) return text(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed');
    const asset = await loadStaticAsset(rendererDir, path);
    if (asset.status !== 200) return text(asset.status, asset.status === 404 ? 'Not found' : 'Bad request');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(asset.body), {
      status: 200,
      headers: { ...headers, 'Content-Type': asset.contentType, 'Cache-Control': 'no-cache' },
    });
  };
}

export function installAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
}

/**
 * The path of an `app://kalam/…` URL exactly as written (still percent-encoded, dot segments
 * kept), so the static resolver sees and refuses `..` instead of a silently normalized path.
 */
function rawPathOf(url: string): string | null {
  const prefix = `${APP_ORIGIN}`;
  if (url.slice(0, prefix.length).toLowerCase() !== prefix) return null;
  const rest = url.slice(prefix.length);
  if (rest === '') return '/';
  if (!rest.startsWith('/')) return null;
  const end = rest.search(/[?#]/);
  return end < 0 ? rest : rest.slice(0, end);
}
