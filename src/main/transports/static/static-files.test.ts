import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from './security-headers';
import { contentTypeFor, loadStaticAsset, resolveStaticPath } from './static-files';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'kalam-static-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'app-1234.css'), 'body{}');
  writeFileSync(join(root, '.secret'), 'dotfile');
  writeFileSync(join(base, 'package.json'), '{"secret":true}');
  symlinkSync(join(base, 'package.json'), join(root, 'assets', 'link.json'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolveStaticPath', () => {
  it.each([
    '/../package.json',
    '/assets/../../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/package.json',
    '/..%2fpackage.json',
    '/%2e%2e%2fpackage.json',
    '/..%5cpackage.json',
    '/assets/..%5c..%5cpackage.json',
    '/./index.html',
    '/index.html%00.js',
    '/%E0%A4%A',
    'relative/path',
    '/C:/Windows/win.ini',
  ])('refuses %s', (path) => {
    expect(resolveStaticPath(root, path)).toEqual({ ok: false, status: 400 });
  });

  it('does not serve dotfiles', () => {
    expect(resolveStaticPath(root, '/.secret')).toEqual({ ok: false, status: 404 });
    expect(resolveStaticPath(root, '/%2esecret')).toEqual({ ok: false, status: 404 });
  });

  it('maps / to index.html and files under the root', () => {
    expect(resolveStaticPath(root, '/')).toEqual({ ok: true, filePath: join(root, 'index.html'), spaFallback: false });
    expect(resolveStaticPath(root, '/assets/app-1234.js')).toEqual({
      ok: true,
      filePath: join(root, 'assets', 'app-1234.js'),
      spaFallback: false,
    });
    expect(resolveStaticPath(root, '/tables/system.users')).toMatchObject({ ok: true, spaFallback: false });
    expect(resolveStaticPath(root, '/overview')).toMatchObject({ ok: true, spaFallback: true });
  });

  it('treats a double-encoded dot segment as a plain (missing) file name', () => {
    expect(resolveStaticPath(root, '/%252e%252e/package.json')).toMatchObject({ ok: true });
  });
});

describe('loadStaticAsset', () => {
  it('reads files with their content type', async () => {
    const js = await loadStaticAsset(root, '/assets/app-1234.js');
    expect(js).toMatchObject({ status: 200, contentType: 'text/javascript; charset=utf-8' });
    const html = await loadStaticAsset(root, '/');
    expect(html).toMatchObject({ status: 200, contentType: 'text/html; charset=utf-8' });
  });

  it('falls back to index.html for extension-less routes only', async () => {
    expect(await loadStaticAsset(root, '/overview')).toMatchObject({ status: 200, filePath: expect.stringMatching(/index\.html$/) as unknown });
    expect(await loadStaticAsset(root, '/missing.js')).toEqual({ status: 404 });
  });

  it('does not follow symlinks out of the root', async () => {
    expect(await loadStaticAsset(root, '/assets/link.json')).toEqual({ status: 404 });
  });

  it('never serves a file outside the root', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/%252e%252e/package.json', '/..%2fpackage.json']) {
      const asset = await loadStaticAsset(root, path);
      expect(asset.status).not.toBe(200);
    }
  });
});

describe('content types and CSP', () => {
  it('knows the renderer file types', () => {
    expect(contentTypeFor('a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.woff2')).toBe('font/woff2');
    expect(contentTypeFor('a.SVG')).toBe('image/svg+xml');
    expect(contentTypeFor('a.unknown')).toBe('application/octet-stream');
  });

  it('builds a strict policy', () => {
    const csp = contentSecurityPolicy({ connectSrc: ['ws://127.0.0.1:1234'] });
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:1234");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain("'unsafe-inline'");
    expect(securityHeaders()).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
  });
});
