import { TOKEN_STORAGE_KEY, tokenFromFragment } from '../../../shared/web-session';

/**
 * The web mode's token in the page (how it travels: src/shared/web-session.ts).
 * - `active`: the page has a token and the server has not refused it.
 * - `missing`: opened without the launch URL (no `#token=…`, nothing stored in this tab).
 * - `expired`: the server refused the token (401): it was restarted and has a new one.
 */
export type WebSessionState = 'active' | 'missing' | 'expired';

/** Functions, not methods: React's useSyncExternalStore takes `subscribe` and `state` detached. */
export interface WebSession {
  /** The token to send, or null. */
  readonly token: () => string | null;
  readonly state: () => WebSessionState;
  /** A request was refused with 401. */
  readonly expire: () => void;
  readonly subscribe: (listener: () => void) => () => void;
}

/** What the session needs from the browser (injected so tests can run it in Node). */
export interface WebSessionEnv {
  readonly location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  readonly history: Pick<History, 'replaceState'>;
  /** sessionStorage, or null where storage is blocked (the token then lives in memory only). */
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** Calls `listener` on every hash change; returns the unsubscribe. */
  readonly onHashChange: (listener: () => void) => () => void;
  readonly reload: () => void;
}

/**
 * Takes the token from the launch URL's fragment (and removes it from the address bar and the
 * history entry, leaving the home route), or from this tab's sessionStorage after a reload. A
 * launch URL opened later in the same tab (only its fragment differs, so the browser does not
 * load the page again) is taken the same way, then the page reloads to start over with it.
 */
export function openWebSession(env: WebSessionEnv): WebSession {
  /** The fragment's token, stored and removed from the address; null if the fragment has none. */
  const adoptFragment = (): string | null => {
    const fromFragment = tokenFromFragment(env.location.hash);
    if (fromFragment === null) return null;
    env.history.replaceState(null, '', `${env.location.pathname}${env.location.search}#/`);
    tryStorage(() => env.storage?.setItem(TOKEN_STORAGE_KEY, fromFragment));
    return fromFragment;
  };

  let token = adoptFragment() ?? (tryStorage(() => env.storage?.getItem(TOKEN_STORAGE_KEY)) || null);
  env.onHashChange(() => {
    const next = adoptFragment();
    if (next === null) return;
    token = next;
    env.reload();
  });
  let state: WebSessionState = token === null ? 'missing' : 'active';
  const listeners = new Set<() => void>();
  return {
    token: () => token,
    state: () => state,
    expire: () => {
      if (state !== 'active') return;
      state = 'expired';
      for (const listener of listeners) listener();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** Storage access throws where the browser blocks it; the session then keeps the token in memory. */
function tryStorage<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** The session of this page, in the real browser. */
export function browserWebSession(): WebSession {
  return openWebSession({
    location,
    history,
    storage: tryStorage(() => sessionStorage) ?? null,
    onHashChange: (listener) => {
      window.addEventListener('hashchange', listener);
      return () => window.removeEventListener('hashchange', listener);
    },
    reload: () => location.reload(),
  });
}
