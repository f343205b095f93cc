import { describe, expect, it } from 'vitest';
import { launchUrl, TOKEN_STORAGE_KEY, tokenFromFragment } from '../../../shared/web-session';
import { openWebSession, type WebSessionEnv } from './web-session';

const TOKEN = 'A'.repeat(20) + '_-' + 'z9'.repeat(10) + 'q';

/** A tab: its address and its sessionStorage; replaceState rewrites the address like a browser. */
function tab(hash: string, stored: Record<string, string> = {}, { storageBlocked = false } = {}) {
  const location = { hash, pathname: '/', search: '' };
  const storage = new Map(Object.entries(stored));
  const replaced: string[] = [];
  const hashListeners: (() => void)[] = [];
  let reloads = 0;
  const blocked = (): never => {
    throw new Error('SecurityError: storage is blocked');
  };
  const env: WebSessionEnv = {
    location,
    history: {
      replaceState: (_data, _unused, url) => {
        replaced.push(String(url));
        location.hash = String(url).slice(String(url).indexOf('#'));
      },
    },
    storage: {
      getItem: (key) => (storageBlocked ? blocked() : (storage.get(key) ?? null)),
      setItem: (key, value) => (storageBlocked ? blocked() : void storage.set(key, value)),
    },
    onHashChange: (listener) => {
      hashListeners.push(listener);
      return () => hashListeners.splice(hashListeners.indexOf(listener), 1);
    },
    reload: () => void (reloads += 1),
  };
  /** The user opens `hash` in this tab (a fragment-only navigation: no page load). */
  const navigate = (hash: string): void => {
    location.hash = hash;
    for (const listener of hashListeners) listener();
  };
  return { env, location, storage, replaced, navigate, reloads: () => reloads };
}

describe('the launch URL', () => {
  it('carries the token in the fragment, which parses back', () => {
    expect(TOKEN).toHaveLength(43);
    const url = launchUrl('http://127.0.0.1:4000', TOKEN);
    expect(url).toBe(`http://127.0.0.1:4000/#token=${TOKEN}`);
    expect(tokenFromFragment(new URL(url).hash)).toBe(TOKEN);
  });

  it('refuses anything but exactly #token=<43 base64url characters>', () => {
    for (const hash of [
      '',
      '#/',
      '#/jobs',
      '#token=',
      `#token=${TOKEN}x`,
      `#token=${TOKEN.slice(1)}`,
      `#token=${TOKEN}&x`,
      `#/token=${TOKEN}`,
      `#token=${TOKEN.slice(1)}!`,
    ]) {
      expect(tokenFromFragment(hash), hash).toBeNull();
    }
  });
});

describe('openWebSession', () => {
  it('takes the token from the fragment, keeps it in sessionStorage and removes it from the address', () => {
    const t = tab(`#token=${TOKEN}`);
    const session = openWebSession(t.env);
    expect(session.token()).toBe(TOKEN);
    expect(session.state()).toBe('active');
    expect(t.storage.get(TOKEN_STORAGE_KEY)).toBe(TOKEN);
    expect(t.replaced).toEqual(['/#/']);
    expect(t.location.hash).toBe('#/');
  });

  it('after a reload (no fragment) uses the token this tab stored', () => {
    const t = tab('#/jobs', { [TOKEN_STORAGE_KEY]: TOKEN });
    const session = openWebSession(t.env);
    expect(session.token()).toBe(TOKEN);
    expect(session.state()).toBe('active');
    expect(t.replaced).toEqual([]);
    expect(t.location.hash).toBe('#/jobs');
  });

  it('a new launch URL replaces the token of an earlier run', () => {
    const next = 'B'.repeat(43);
    const t = tab(`#token=${next}`, { [TOKEN_STORAGE_KEY]: TOKEN });
    expect(openWebSession(t.env).token()).toBe(next);
    expect(t.storage.get(TOKEN_STORAGE_KEY)).toBe(next);
  });

  it('takes a launch URL opened later in the same tab, then reloads; route changes do neither', () => {
    const next = 'C'.repeat(43);
    const t = tab(`#token=${TOKEN}`);
    const session = openWebSession(t.env);
    t.navigate('#/jobs');
    expect(t.reloads()).toBe(0);
    expect(session.token()).toBe(TOKEN);
    t.navigate(`#token=${next}`);
    expect(t.reloads()).toBe(1);
    expect(session.token()).toBe(next);
    expect(t.storage.get(TOKEN_STORAGE_KEY)).toBe(next);
    expect(t.location.hash).toBe('#/');
  });

  it('is missing without a fragment or a stored token, and with a malformed fragment', () => {
    for (const hash of ['', '#/', '#token=short']) {
      const t = tab(hash);
      const session = openWebSession(t.env);
      expect(session.token(), hash).toBeNull();
      expect(session.state(), hash).toBe('missing');
      expect(t.replaced, hash).toEqual([]);
    }
  });

  it('keeps the token in memory where storage is blocked', () => {
    const t = tab(`#token=${TOKEN}`, {}, { storageBlocked: true });
    const session = openWebSession(t.env);
    expect(session.token()).toBe(TOKEN);
    expect(session.state()).toBe('active');
    expect(t.location.hash).toBe('#/');
  });

  it('expires once on a refusal and tells its subscribers; a missing session stays missing', () => {
    const session = openWebSession(tab(`#token=${TOKEN}`).env);
    const seen: string[] = [];
    const unsubscribe = session.subscribe(() => seen.push(session.state()));
    session.expire();
    session.expire();
    expect(session.state()).toBe('expired');
    expect(seen).toEqual(['expired']);
    unsubscribe();

    const missing = openWebSession(tab('').env);
    missing.expire();
    expect(missing.state()).toBe('missing');
  });
});
