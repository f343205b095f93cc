import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The app's version from package.json, found by walking up from this module (the source tree in
 * tests and the CLI, out/main in a build), for backup manifests.
 */
export function appVersion(): string {
  if (cached !== undefined) return cached;
  let dir = import.meta.dirname;
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'kalam-studio' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch {
      // Not here: keep walking up.
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return (cached = process.env['npm_package_version'] ?? '0.0.0');
}
