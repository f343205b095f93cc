import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger, formatLine } from './logger';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kalam-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('file logger', () => {
  it('appends one line per entry, creating the folder', () => {
    const path = join(dir, 'logs', 'main.log');
    const logger = createFileLogger(path, { now: () => new Date('2026-01-02T03:04:05.000Z') });
    logger.info('started', { port: 4000 });
    logger.error('failed', { error: new Error('boom') });
    logger.warn('multi\nline');
    logger.close();
    logger.info('after close');
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('2026-01-02T03:04:05.000Z INFO started {"port":4000}');
    expect(lines[1]).toMatch(/^2026-01-02T03:04:05.000Z ERROR failed \{"error":\{"name":"Error","message":"boom","stack":/);
    expect(lines[2]).toBe('2026-01-02T03:04:05.000Z WARN multi\\nline');
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('moves a large log aside at start', () => {
    mkdirSync(join(dir, 'logs'));
    const path = join(dir, 'logs', 'main.log');
    writeFileSync(path, 'x'.repeat(100));
    createFileLogger(path, { maxBytes: 50 }).info('fresh');
    expect(existsSync(`${path}.1`)).toBe(true);
    expect(readFileSync(path, 'utf8')).toMatch(/INFO fresh\n$/);
  });

  it('never throws when the log cannot be written', () => {
    const logger = createFileLogger(join(dir, 'missing', '\0bad', 'main.log'));
    expect(() => logger.info('x')).not.toThrow();
  });

  it('formats fields safely', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(formatLine(new Date(0), 'debug', 'm', { circular })).toContain('<unserializable fields>');
    expect(formatLine(new Date(0), 'info', 'm', { n: 10n })).toContain('{"n":"10"}');
  });
});
