import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgsError, parseAppArgs } from './args';
import { defaultDataDir, logPathFor } from './paths';

const linux = { platform: 'linux', env: {}, homeDir: '/home/ada' } as const;

describe('parseAppArgs', () => {
  it('has defaults', () => {
    expect(parseAppArgs([], { env: {}, platform: linux })).toEqual({
      web: false,
      port: 0,
      dataDir: '/home/ada/.config/kalam-studio',
      dataDirSource: 'default',
      demo: true,
      readOnly: false,
      help: false,
    });
  });

  it('reads every option', () => {
    expect(parseAppArgs(['--web', '--port', '4000', '--data-dir', 'rel/dir', '--no-demo', '--read-only'], { env: {}, cwd: '/work' })).toMatchObject({
      web: true,
      port: 4000,
      dataDir: '/work/rel/dir',
      dataDirSource: 'flag',
      demo: false,
      readOnly: true,
    });
    expect(parseAppArgs(['--port=65535', '--data-dir=/abs'], { env: {} })).toMatchObject({ port: 65535, dataDir: '/abs' });
    expect(parseAppArgs(['--port', '0'], { env: {} }).port).toBe(0);
  });

  it('takes the data directory from KALAM_DATA_DIR unless --data-dir is given', () => {
    const env = { KALAM_DATA_DIR: 'from-env' };
    expect(parseAppArgs([], { env, cwd: '/srv' })).toMatchObject({ dataDir: '/srv/from-env', dataDirSource: 'env' });
    expect(parseAppArgs(['--data-dir', '/flag'], { env, cwd: '/srv' })).toMatchObject({ dataDir: '/flag', dataDirSource: 'flag' });
    expect(parseAppArgs([], { env: { KALAM_DATA_DIR: '' }, platform: linux }).dataDirSource).toBe('default');
    expect(() => parseAppArgs([], { env: { KALAM_DATA_DIR: '   ' } })).toThrow(/KALAM_DATA_DIR/);
  });

  it.each([
    [['--port', 'abc'], /--port: must be a whole number from 0 to 65535/],
    [['--port', '65536'], /--port: must be a whole number/],
    [['--port', '-1'], /--port/],
    [['--port', '1.5'], /--port: must be a whole number/],
    [['--port'], /--port/],
    [['--data-dir', ''], /--data-dir: must not be empty/],
    [['--data-dir'], /--data-dir/],
    [['--bogus'], /unknown option --bogus/],
    [['stray'], /unexpected argument stray/],
    [['--web=yes'], /--web/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseAppArgs(argv, { env: {} })).toThrow(ArgsError);
    expect(() => parseAppArgs(argv, { env: {} })).toThrow(message);
  });

  it('ignores unknown switches and positionals when lenient (Electron)', () => {
    const args = parseAppArgs(['.', '--no-sandbox', '--enable-logging=stderr', '--read-only', '--port', '5'], {
      env: {},
      lenient: true,
    });
    expect(args).toMatchObject({ readOnly: true, port: 5 });
    expect(() => parseAppArgs(['--port', 'x'], { env: {}, lenient: true })).toThrow(ArgsError);
    expect(() => parseAppArgs(['--port'], { env: {}, lenient: true })).toThrow(/--port: needs a value/);
  });
});

describe('defaultDataDir', () => {
  it('uses ~/.config/kalam-studio on Linux, or $XDG_CONFIG_HOME/kalam-studio', () => {
    expect(defaultDataDir(linux)).toBe('/home/ada/.config/kalam-studio');
    expect(defaultDataDir({ ...linux, env: { XDG_CONFIG_HOME: '/xdg' } })).toBe('/xdg/kalam-studio');
    // A relative XDG_CONFIG_HOME is invalid per the spec and ignored.
    expect(defaultDataDir({ ...linux, env: { XDG_CONFIG_HOME: 'relative' } })).toBe('/home/ada/.config/kalam-studio');
    expect(defaultDataDir({ ...linux, platform: 'freebsd' })).toBe('/home/ada/.config/kalam-studio');
  });

  it('uses ~/Library/Application Support/Kalam Studio on macOS', () => {
    expect(defaultDataDir({ platform: 'darwin', env: { XDG_CONFIG_HOME: '/xdg' }, homeDir: '/Users/ada' })).toBe(
      '/Users/ada/Library/Application Support/Kalam Studio',
    );
  });

  it('uses %APPDATA%\\Kalam Studio on Windows', () => {
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, homeDir: 'C:\\Users\\ada' })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Kalam Studio',
    );
    expect(defaultDataDir({ platform: 'win32', env: {}, homeDir: 'C:\\Users\\ada' })).toBe('C:\\Users\\ada\\AppData\\Roaming\\Kalam Studio');
  });

  it('is what parseAppArgs falls back to on this machine', () => {
    const args = parseAppArgs([], { env: {} });
    expect(args.dataDir).toBe(defaultDataDir());
    expect(logPathFor('/d')).toBe(join('/d', 'logs', 'main.log'));
    expect(resolve(args.dataDir)).toBe(args.dataDir);
  });
});
