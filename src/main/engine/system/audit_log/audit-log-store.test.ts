import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuditId, AuditIdSchema } from '../../../../shared/keys/audit-id';
import { NamespaceIdSchema } from '../../../../shared/keys/namespace-id';
import { UserIdSchema } from '../../../../shared/keys/user-id';
import type { AuditEntry } from '../../../../shared/system/audit-log';
import type { Subject } from '../../access/subject';
import { Engine } from '../../engine';
import { ValidationError } from '../../errors';
import type { AuditLogStore } from './audit-log-store';

let clock: number;
let engine: Engine;
let audit: AuditLogStore;
beforeEach(() => {
  clock = 1_000;
  engine = Engine.open({ databasePath: ':memory:', storageDirectory: '/tmp/x', now: () => clock });
  audit = engine.system.auditLog;
});
afterEach(() => engine.close());

const aid = (n: number): AuditId => AuditIdSchema.parse(n);
const dba: Subject = { userId: UserIdSchema.parse('root'), role: 'dba' };

function entry(action: string, over: Partial<Omit<AuditEntry, 'audit_id'>> = {}): Omit<AuditEntry, 'audit_id'> {
  return {
    actor_user_id: UserIdSchema.parse('root'),
    actor_role: 'dba',
    action,
    target: `system.users/${action}`,
    at: clock,
    before: null,
    after: { n: action },
    ...over,
  };
}

const ids = () => [...audit.scanKeys()];

describe('append', () => {
  it('numbers entries 0, 1, 2… in the order they are appended', () => {
    const a = audit.append(entry('first'));
    const b = audit.append(entry('second'));
    const c = audit.append(entry('third'));
    expect([a.audit_id, b.audit_id, c.audit_id]).toEqual([0, 1, 2]);
    expect(ids()).toEqual([0, 1, 2]);
    expect(audit.get(aid(1))?.action).toBe('second');
  });

  it('keeps counting in numeric order past 9 (keys are integers, not text)', () => {
    for (let i = 0; i < 12; i++) audit.append(entry(`a${i}`));
    expect(ids()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(audit.append(entry('next')).audit_id).toBe(12);
  });

  it('inside a transaction that then throws leaves no entry, and the next append reuses the number', () => {
    audit.append(entry('kept'));
    const app = NamespaceIdSchema.parse('app');
    expect(() =>
      engine.backend.transaction(() => {
        // The write being recorded and its entry, then a failure: neither may stay.
        engine.system.namespaces.insert({ namespace_id: app, options: {}, comment: null, created_at: clock, updated_at: clock });
        const appended = audit.append(entry('namespaces.create'));
        expect(appended.audit_id).toBe(1);
        expect(audit.get(aid(1))?.action).toBe('namespaces.create');
        throw new Error('the write failed after its audit entry');
      }),
    ).toThrow('the write failed');
    expect(ids()).toEqual([0]);
    expect(audit.get(aid(1))).toBeUndefined();
    expect(engine.system.namespaces.exists(app)).toBe(false);

    const next = audit.append(entry('after'));
    expect(next.audit_id).toBe(1);
    expect(audit.get(aid(1))?.action).toBe('after');
  });

  it('appends inside one transaction number consecutively and commit together', () => {
    engine.backend.transaction(() => {
      audit.append(entry('a'));
      audit.append(entry('b'));
    });
    expect([...audit.scan()].map(([k, e]) => [k, e.action])).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
  });

  it('an invalid entry is refused and takes no number', () => {
    audit.append(entry('ok'));
    expect(() => audit.append(entry(''))).toThrow(ValidationError);
    expect(ids()).toEqual([0]);
    expect(audit.append(entry('ok2')).audit_id).toBe(1);
  });

  it('ignores an audit_id passed in by the caller', () => {
    audit.append(entry('a'));
    const e = audit.append({ ...entry('b'), audit_id: 99 } as unknown as Omit<AuditEntry, 'audit_id'>);
    expect(e.audit_id).toBe(1);
    expect(audit.get(aid(99))).toBeUndefined();
  });
});

describe('the audit_log provider', () => {
  beforeEach(() => {
    for (let i = 0; i < 12; i++) {
      clock = 1_000 + i;
      audit.append(entry(`action${i}`));
    }
  });
  const provider = () => engine.system.providers.get('audit_log')!;

  it('marks audit_id as the key column', () => {
    expect(
      provider()
        .columns()
        .find((c) => c.name === 'audit_id'),
    ).toMatchObject({ primaryKey: true, type: 'integer' });
  });

  it('browses newest first with sort desc on the key', () => {
    const page = provider().browse(dba, { limit: 100, sort: { column: 'audit_id', order: 'desc' } });
    expect(page.rows.map((r) => r.key)).toEqual(['11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0']);
    expect(page.rows[0]!.values).toMatchObject({ audit_id: 11, action: 'action11', at: 1_011 });
    expect(page.next).toBeUndefined();

    // Ascending is the opposite order.
    const asc = provider().browse(dba, { limit: 100, sort: { column: 'audit_id', order: 'asc' } });
    expect(asc.rows.map((r) => r.key)).toEqual(page.rows.map((r) => r.key).reverse());
  });

  it('pages newest first with cursors, forward and back', () => {
    const p = provider();
    const sort = { column: 'audit_id', order: 'desc' } as const;
    const first = p.browse(dba, { limit: 5, sort });
    expect(first.rows.map((r) => r.key)).toEqual(['11', '10', '9', '8', '7']);
    expect(first.prev).toBeUndefined();
    const second = p.browse(dba, { limit: 5, sort, cursor: first.next! });
    expect(second.rows.map((r) => r.key)).toEqual(['6', '5', '4', '3', '2']);
    const third = p.browse(dba, { limit: 5, sort, cursor: second.next! });
    expect(third.rows.map((r) => r.key)).toEqual(['1', '0']);
    expect(third.next).toBeUndefined();
    const back = p.browse(dba, { limit: 5, sort, cursor: third.prev!, direction: 'backward' });
    expect(back.rows.map((r) => r.key)).toEqual(['6', '5', '4', '3', '2']);
  });

  it('shows a new entry at the top', () => {
    audit.append(entry('latest'));
    const page = provider().browse(dba, { limit: 1, sort: { column: 'audit_id', order: 'desc' } });
    expect(page.rows.map((r) => [r.key, r.values['action']])).toEqual([['12', 'latest']]);
  });
});
