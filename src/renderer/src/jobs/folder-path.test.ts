import { describe, expect, it } from 'vitest';
import { folderAfterPick, pathProblem, pickFolderInput } from './folder-path';

describe('folder paths', () => {
  it('asks for an absolute path', () => {
    expect(pathProblem('  ')).toBe('Enter a folder path.');
    expect(pathProblem('backups/today')).toBe('Enter an absolute path (starting with / or a drive letter).');
    expect(pathProblem('/srv/backups')).toBeUndefined();
    expect(pathProblem('C:\\backups')).toBeUndefined();
    expect(pathProblem('\\\\server\\share')).toBeUndefined();
  });

  it('opens the dialog at the field’s path only when the main process would accept it', () => {
    expect(pickFolderInput('backup', ' /srv/backups/b1 ')).toEqual({ purpose: 'backup', defaultPath: '/srv/backups/b1' });
    expect(pickFolderInput('restore', 'D:/backups')).toEqual({ purpose: 'restore', defaultPath: 'D:/backups' });
    expect(pickFolderInput('restore', '')).toEqual({ purpose: 'restore' });
    expect(pickFolderInput('backup', 'relative/dir')).toEqual({ purpose: 'backup' });
    expect(pickFolderInput('backup', '/a\0b')).toEqual({ purpose: 'backup' });
  });

  it('fills the field with the chosen folder, and leaves it alone on cancel', () => {
    expect(folderAfterPick({ path: '/srv/backups/b1' })).toBe('/srv/backups/b1');
    expect(folderAfterPick({ path: null })).toBeUndefined();
    expect(folderAfterPick({ path: '' })).toBeUndefined();
  });
});
