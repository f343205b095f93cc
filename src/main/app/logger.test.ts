import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  it('rotates by size while running, keeping the newest files', () => {
    const path = join(dir, 'logs', 'main.log');
    const logger = createFileLogger(path, { maxBytes: 1000, files: 3, now: () => new Date(0) });
    // 100 lines of ~100 bytes: ten files' worth, of which the newest three remain.
    for (let i = 0; i < 100; i++) logger.info(`line ${String(i).padStart(3, '0')} ${'x'.repeat(60)}`);
    logger.close();
    const files = readdirSync(join(dir, 'logs')).sort();
    expect(files).toEqual(['main.log', 'main.log.1', 'main.log.2']);
    for (const f of files) {
      expect(statSync(join(dir, 'logs', f)).size).toBeLessThanOrEqual(1000 + 100);
      if (process.platform !== 'win32') expect(statSync(join(dir, 'logs', f)).mode & 0o777).toBe(0o600);
    }
    const kept = ['main.log.2', 'main.log.1', 'main.log'].flatMap((f) =>
      readFileSync(join(dir, 'logs', f), 'utf8')
        .trimEnd()
        .split('\n'),
    );
    const numbers = kept.map((line) => Number(/line (\d+)/.exec(line)![1]));
    // Oldest to newest without a gap, ending with the last line written.
    expect(numbers.at(-1)).toBe(99);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
    expect(numbers.length).toBeGreaterThan(20);
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
