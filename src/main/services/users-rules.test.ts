import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserFormSchema } from '../../shared/forms/users-form';
import { EmailSchema, MAX_EMAIL_LENGTH } from '../../shared/system/users';
import { usernameIndex } from '../engine/system/users/users-table';
import { seedDemo } from './demo';
import { expectError, type Harness, openHarness, snapshot } from './test-support';

let h: Harness;
beforeEach(() => {
  h = openHarness();
  seedDemo(h.engine);
});
afterEach(() => h.close());

const user = (extra: Record<string, unknown>) => ({
  username: 'dana',
  email: null,
  role: 'user',
  auth_type: 'internal',
  storage_mode: 'table',
  storage_id: null,
  ...extra,
});
const issues = (e: { data?: unknown }) => (e.data as { issues: { field: string; message: string }[] }).issues;

/** An address of exactly `length` characters. */
const emailOf = (length: number) => {
  const domain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.example.com`;
  return `${'a'.repeat(length - domain.length - 1)}@${domain}`;
};

describe('user emails: at most 254 characters and a valid address, in the shared schema', () => {
  it('a 5,000-character email is refused on create and on edit, nothing written; 254 characters are kept', async () => {
    const before = snapshot(h.engine);
    const long = `${'x'.repeat(5000)}@example.com`;
    const e = await expectError(h.client.entities.create({ table: 'system.users', values: user({ email: long }) }), 'VALIDATION');
    expect(issues(e)).toContainEqual({ field: 'email', message: `must be at most ${MAX_EMAIL_LENGTH} characters` });
    const invalid = await expectError(h.client.entities.create({ table: 'system.users', values: user({ email: 'dana at example' }) }), 'VALIDATION');
    expect(issues(invalid)).toEqual([{ field: 'email', message: 'must be a valid email address' }]);
    expect(snapshot(h.engine)).toEqual(before);

    const ok = await h.client.entities.create({ table: 'system.users', values: user({ user_id: 'u_dana', email: emailOf(MAX_EMAIL_LENGTH) }) });
    expect(ok.row.values.email).toHaveLength(MAX_EMAIL_LENGTH);
    const edit = await expectError(
      h.client.entities.update({ table: 'system.users', key: 'u_dana', values: user({ email: emailOf(MAX_EMAIL_LENGTH + 1) }), version: ok.version }),
      'VALIDATION',
    );
    expect(issues(edit)).toEqual([{ field: 'email', message: `must be at most ${MAX_EMAIL_LENGTH} characters` }]);
  });

  it('the form and the stored entity agree on every address (one schema)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.string({ maxLength: 300 }), fc.integer({ min: 240, max: 270 }).map(emailOf)), (email) => {
        const form = UserFormSchema.shape.email.safeParse(email).success;
        expect(form).toBe(EmailSchema.safeParse(email).success);
        if (form) expect(email.length).toBeLessThanOrEqual(MAX_EMAIL_LENGTH);
      }),
    );
  });
});

describe('deleted users', () => {
  it('cannot be edited, deleted again or given a password: NOT_FOUND saying so, nothing written', async () => {
    const dana = await h.client.entities.create({ table: 'system.users', values: user({ user_id: 'u_dana' }) });
    await h.client.entities.delete({ table: 'system.users', key: 'u_dana', version: dana.version });
    const before = snapshot(h.engine);
    const edit = await expectError(
      h.client.entities.update({ table: 'system.users', key: 'u_dana', values: user({ email: 'd@example.com' }), version: 'x', overwrite: true }),
      'NOT_FOUND',
    );
    expect(edit.message).toBe('user u_dana is deleted; a deleted user cannot be edited');
    expect((await expectError(h.client.entities.delete({ table: 'system.users', key: 'u_dana' }), 'NOT_FOUND')).message).toContain('already deleted');
    await expectError(h.client.entities.setPassword({ userId: 'u_dana', password: 'correct horse battery' }), 'NOT_FOUND');
    expect(snapshot(h.engine)).toEqual(before);
  });

  it("a deleted user's username can be taken again: the unique index holds live users only", async () => {
    // The decision, in the index definition: partial, and deleted users have no entry.
    expect(usernameIndex).toMatchObject({ unique: true, partial: true });
    const first = await h.client.entities.create({ table: 'system.users', values: user({ user_id: 'u_dana' }) });
    await expectError(h.client.entities.create({ table: 'system.users', values: user({ user_id: 'u_dana2', username: 'Dana' }) }), 'UNIQUE_VIOLATION');
    await h.client.entities.delete({ table: 'system.users', key: 'u_dana', version: first.version });
    const second = await h.client.entities.create({ table: 'system.users', values: user({ user_id: 'u_dana2', username: 'Dana' }) });
    expect(second.row.values).toMatchObject({ user_id: 'u_dana2', username: 'dana', deleted_at: null });
    // Both rows stay (the audit trail keeps naming the first); only the live one holds the name.
    expect((await h.client.rows.get({ table: 'system.users', key: 'u_dana' })).row.values).toMatchObject({
      username: 'dana',
      deleted_at: expect.any(Number) as number,
    });
    const entries = await h.client.indexes.entries({ table: 'system.users', index: 'username', limit: 100 });
    expect(entries.entries.filter((e) => JSON.stringify(e).includes('"dana"'))).toHaveLength(1);
    const report = await h.client.indexes.verify({ table: 'system.users', index: 'username' });
    expect([report.missing, report.orphaned, report.wrong]).toEqual([[], [], []]);
    // A third live "dana" is still one too many.
    await expectError(h.client.entities.create({ table: 'system.users', values: user({ user_id: 'u_dana3' }) }), 'UNIQUE_VIOLATION');
  });
});

describe('owners of user and stream rows', () => {
  it('must be an existing, non-deleted user, named by id; a username is refused saying which is which', async () => {
    await h.client.entities.create({ table: 'system.users', values: user({ user_id: 'u_dana' }) });
    await h.client.entities.delete({ table: 'system.users', key: 'u_dana' });
    const before = snapshot(h.engine);
    for (const table of ['demo.notes', 'demo.events']) {
      const values = table === 'demo.notes' ? { id: 99, title: 'x' } : { id: 'e99', kind: 'k' };
      const byName = await expectError(h.client.rows.create({ table, user: 'bob', values }), 'VALIDATION');
      expect(issues(byName)).toEqual([
        { field: 'user', message: '"bob" is a username, not a user id: rows belong to a user id, and the user id of bob is "u_bob"' },
      ]);
      const deleted = await expectError(h.client.rows.create({ table, user: 'u_dana', values }), 'VALIDATION');
      expect(issues(deleted)).toEqual([{ field: 'user', message: 'user "u_dana" (dana) is deleted: rows can only be created for existing users' }]);
      const unknown = await expectError(h.client.rows.create({ table, user: 'u_nobody', values }), 'VALIDATION');
      expect(issues(unknown)).toEqual([{ field: 'user', message: 'no user has the id "u_nobody" (rows belong to a user id, such as "u_…", not a username)' }]);
    }
    expect(snapshot(h.engine)).toEqual(before);
    const made = await h.client.rows.create({ table: 'demo.notes', user: 'u_bob', values: { id: 99, title: 'for bob' } });
    expect(made.row.key).toBe('u_bob/99');
  });
});
