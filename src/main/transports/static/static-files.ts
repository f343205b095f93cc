import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

/**
 * Serving the built renderer (out/renderer) safely, for the web-mode HTTP server and the
 * Electron `app://` protocol alike: only files under the root, never a path that climbs out of it
 * (`..`, encoded or not, backslashes, NUL, symlinks pointing outside), never dotfiles.
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticPath = { readonly ok: true; readonly filePath: string; readonly spaFallback: boolean } | { readonly ok: false; readonly status: 400 | 404 };

/**
 * Maps a request path (as received: percent-encoded, without the query) to a file under `root`.
 * Refuses (400) anything that tries to climb out; 404 for dotfiles. `/` and paths ending in `/`
 * map to index.html. A path whose last segment has no extension may fall back to index.html
 * (client-side routes): `spaFallback` says so.
 */
export function resolveStaticPath(root: string, rawPath: string): StaticPath {
  const absRoot = resolve(root);
  if (!rawPath.startsWith('/')) return { ok: false, status: 400 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 400 };
  const segments = decoded.split('/');
  // Check the raw segments too: "%2e%2e" decodes to "..", and ".." stays "..".
  if (segments.some((s) => s === '..' || s === '.') || rawPath.split('/').some((s) => s === '..' || s === '.')) {
    return { ok: false, status: 400 };
  }
  if (segments.some((s) => s.startsWith('.'))) return { ok: false, status: 404 };
  // Windows drive letters or alternate data streams ("C:", "file.txt:stream").
  if (segments.some((s) => s.includes(':'))) return { ok: false, status: 400 };

  const relative = decoded.endsWith('/') ? decoded + 'index.html' : decoded;
  const filePath = resolve(absRoot, '.' + relative);
  if (!isInside(absRoot, filePath)) return { ok: false, status: 400 };
  const last = segments[segments.length - 1] ?? '';
  return { ok: true, filePath, spaFallback: last !== '' && !last.includes('.') };
}

export type StaticAsset =
  { readonly status: 200; readonly body: Buffer; readonly contentType: string; readonly filePath: string } | { readonly status: 400 | 404 };

/** Reads the file a request path names (see resolveStaticPath), following the SPA fallback. */
export async function loadStaticAsset(root: string, rawPath: string): Promise<StaticAsset> {
  const resolved = resolveStaticPath(root, rawPath);
  if (!resolved.ok) return { status: resolved.status };
  const direct = await readInside(root, resolved.filePath);
  if (direct) return direct;
  if (resolved.spaFallback) {
    const index = await readInside(root, resolve(root, 'index.html'));
    if (index) return index;
  }
  return { status: 404 };
}

async function readInside(root: string, filePath: string): Promise<(StaticAsset & { status: 200 }) | null> {
  try {
    // Symlinks must not lead out of the root either.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(filePath)]);
    if (!isInside(realRoot, realFile)) return null;
    if (!(await stat(realFile)).isFile()) return null;
    return { status: 200, body: await readFile(realFile), contentType: contentTypeFor(realFile), filePath: realFile };
  } catch {
    return null;
  }
}

function isInside(root: string, candidate: string): boolean {
  const base = root.endsWith(sep) ? root : root + sep;
  return candidate.startsWith(base);
}
