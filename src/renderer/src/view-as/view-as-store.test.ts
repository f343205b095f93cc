import { describe, expect, it } from 'vitest';
import { UserIdSchema } from '../../../shared/keys/user-id';
import { ADMIN, asField, describeViewAs, getViewAs, setViewAs, viewAsValue } from './view-as-store';

describe('view as', () => {
  const alice = { kind: 'user', userId: UserIdSchema.parse('u_alice'), username: 'alice', role: 'dba' } as const;

  it('maps each subject to the `as` input: none for the admin, the user, or a role without a user', () => {
    expect(asField(ADMIN)).toEqual({});
    expect(asField(alice)).toEqual({ as: { userId: 'u_alice' } });
    expect(asField({ kind: 'role', role: 'service' })).toEqual({ as: { userId: null, role: 'service' } });
  });

  it('labels subjects and keys the picker by them', () => {
    expect(describeViewAs(alice)).toBe('alice (dba)');
    expect(viewAsValue(alice)).toBe('user:u_alice');
    expect(viewAsValue({ kind: 'role', role: 'user' })).toBe('role:user');
  });

  it('holds the current subject', () => {
    setViewAs(alice);
    expect(getViewAs()).toBe(alice);
    setViewAs(ADMIN);
    expect(getViewAs()).toBe(ADMIN);
  });
});
