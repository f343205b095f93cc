import { describe, expect, it } from 'vitest';
import type { Row } from '../../../shared/browse';
import { ownerChoices } from './owner-choices';

const user = (user_id: string, username: string, deleted_at: number | null = null): Row => ({
  key: user_id,
  values: { user_id, username, deleted_at },
  version: 'v1',
});

describe('ownerChoices', () => {
  it('offers live users only, once each, by username', () => {
    const byName = [user('u_bob', 'bob'), user('u_gone', 'gone', 1_700_000_000_000), user('u_alice', 'alice')];
    const byId = [user('u_bob', 'bob'), user('u_zed', 'aaron')];
    expect(ownerChoices(byName, byId, undefined)).toEqual([
      { userId: 'u_zed', username: 'aaron' },
      { userId: 'u_alice', username: 'alice' },
      { userId: 'u_bob', username: 'bob' },
    ]);
  });

  it('skips rows that are not users (no id or name)', () => {
    expect(ownerChoices([{ key: 'x', values: { user_id: 1, username: 'x', deleted_at: null }, version: 'v1' }])).toEqual([]);
  });
});
