import { describe, expect, it } from 'vitest';
import { AbsolutePathSchema } from '../../shared/host-path';
import { hostPathProblem, HostPathSchema } from './host-path';

describe('hostPathProblem: absolute by the rule of the platform the main process runs on', () => {
  it('on Linux and macOS only "/…" is absolute: Windows forms and relative paths are refused, saying why', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      expect(hostPathProblem('/home/me/backups', platform)).toBeUndefined();
      for (const windows of ['C:\\x', 'c:/x', '\\\\server\\share', '\\\\server\\share\\dir'])
        expect(hostPathProblem(windows, platform)).toMatch(
          new RegExp(
            `^must be an absolute path on this computer \\(${platform === 'linux' ? 'Linux' : 'macOS'}\\), starting with "/": ".*" is a Windows path; a relative path would be resolved against the app's working folder$`,
          ),
        );
      for (const relative of ['backups', './backups', '~/backups', 'C:x'])
        expect(hostPathProblem(relative, platform)).toMatch(
          /^must be an absolute path on this computer .*, starting with "\/": a relative path would be resolved against the app's working folder$/,
        );
    }
  });

  it('on Windows a drive or a UNC share is absolute; "\\x", "/x" (relative to the current drive) and "C:x" are not', () => {
    for (const absolute of ['C:\\Users\\me\\backups', 'd:/data', '\\\\server\\share', '\\\\server\\share\\dir', '//server/share']) {
      expect(hostPathProblem(absolute, 'win32'), absolute).toBeUndefined();
    }
    for (const relative of ['\\x', '/x', 'C:x', 'backups', '\\\\server', '/home/me']) {
      expect(hostPathProblem(relative, 'win32'), relative).toMatch(/^must be an absolute path on this computer \(Windows\)/);
    }
  });

  it('HostPathSchema is the shared syntactic schema, then the running platform', () => {
    const foreign = process.platform === 'win32' ? '/srv/backups' : 'C:\\backups';
    const native = process.platform === 'win32' ? 'C:\\backups' : '/srv/backups';
    expect(AbsolutePathSchema.safeParse(foreign).success).toBe(true);
    expect(HostPathSchema.safeParse(foreign).error?.issues[0]?.message).toBe(hostPathProblem(foreign));
    expect(HostPathSchema.parse(` ${native} `)).toBe(native);
    expect(HostPathSchema.safeParse('relative/dir').error?.issues[0]?.message).toBe('must be an absolute path');
  });
});
