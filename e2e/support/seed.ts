/**
 * Seeds a fresh data directory through the real engine (no mocks): the schema and root user (the
 * migrations), the demo namespace and users (the code the app itself runs on first start), and an
 * audit log of plausible entries to page through, written in one transaction.
 */
import { Engine } from '../../src/main/engine/engine';
import { seedDemo } from '../../src/main/services/demo';
import type { Role } from '../../src/shared/access';
import { AuditIdSchema } from '../../src/shared/keys/audit-id';
import { UserIdSchema } from '../../src/shared/keys/user-id';
import { UserNameSchema } from '../../src/shared/keys/user-name';
import type { AuditEntry } from '../../src/shared/system/audit-log';
import type { User } from '../../src/shared/system/users';

export interface SeedOptions {
  /** Audit entries to add after the demo data's own. */
  readonly auditEntries: number;
  /** Users to add besides root and the demo users (for screenshots with a fuller table). */
  readonly moreUsers?: number;
  /** Clock of the seeding (fixed for reproducible screenshots); defaults to Date.now. */
  readonly now?: () => number;
}

export interface SeedResult {
  /** audit_id of the first and last seeded entry. */
  readonly firstAuditId: number;
  readonly lastAuditId: number;
  /** Rows in system.audit_log after seeding (demo entries included). */
  readonly auditRows: number;
}

interface Pattern {
  readonly action: string;
  readonly actor: 'u_alice' | 'u_carol' | null;
  readonly role: Role;
  readonly target: (n: number) => string;
  readonly before: (n: number) => AuditEntry['before'];
  readonly after: (n: number) => AuditEntry['after'];
}

/** What the seeded log records, in turn: edits by the demo users and by the engine itself. */
const PATTERNS: readonly Pattern[] = [
  {
    action: 'users.update',
    actor: 'u_alice',
    role: 'dba',
    target: (n) => `system.users/u_user${n % 500}`,
    before: () => ({ role: 'user' }),
    after: () => ({ role: 'service' }),
  },
  {
    action: 'namespaces.update',
    actor: 'u_alice',
    role: 'dba',
    target: () => 'system.namespaces/demo',
    before: (n) => ({ comment: `revision ${n}` }),
    after: (n) => ({ comment: `revision ${n + 1}` }),
  },
  {
    action: 'users.create',
    actor: 'u_carol',
    role: 'service',
    target: (n) => `system.users/u_user${n % 500}`,
    before: () => null,
    after: (n) => ({ username: `user${n % 500}`, role: 'user' }),
  },
  {
    action: 'storages.update',
    actor: null,
    role: 'system',
    target: () => 'system.storages/local',
    before: () => ({ comment: null }),
    after: () => ({ comment: 'default storage' }),
  },
  {
    action: 'users.delete',
    actor: 'u_alice',
    role: 'dba',
    target: (n) => `system.users/u_user${n % 500}`,
    before: (n) => ({ username: `user${n % 500}` }),
    after: () => null,
  },
];

function* auditEntries(first: number, count: number, start: number): Generator<readonly [AuditEntry['audit_id'], AuditEntry]> {
  for (let i = 0; i < count; i++) {
    const p = PATTERNS[i % PATTERNS.length] ?? PATTERNS[0]!;
    const id = AuditIdSchema.parse(first + i);
    const entry: AuditEntry = {
      audit_id: id,
      actor_user_id: p.actor === null ? null : UserIdSchema.parse(p.actor),
      actor_role: p.role,
      action: p.action,
      target: p.target(i),
      at: start + i * 1_000,
      before: p.before(i),
      after: p.after(i),
    };
    yield [id, entry] as const;
  }
}

const NAMES = [
  'dana',
  'erik',
  'fatima',
  'george',
  'hana',
  'ivan',
  'julia',
  'kenji',
  'lena',
  'marco',
  'nadia',
  'omar',
  'priya',
  'quinn',
  'rosa',
  'samir',
  'tara',
  'uma',
];
const ROLES: readonly User['role'][] = ['user', 'user', 'service', 'dba'];
const DAY = 86_400_000;

/** Plausible users: mostly password users with an email, some service accounts without one. */
function* moreUsers(count: number, now: number): Generator<readonly [User['user_id'], User]> {
  for (let i = 0; i < count; i++) {
    const name = `${NAMES[i % NAMES.length] ?? 'user'}${i < NAMES.length ? '' : String(i)}`;
    const role = ROLES[i % ROLES.length] ?? 'user';
    const service = role === 'service';
    const user: User = {
      user_id: UserIdSchema.parse(`u_${name}`),
      username: UserNameSchema.parse(name),
      password_hash: null,
      role,
      email: service ? null : `${name}@example.com`,
      auth_type: service ? 'internal' : 'password',
      storage_mode: 'table',
      storage_id: null,
      failed_login_attempts: 0,
      locked_until: null,
      last_login_at: service ? null : now - (i % 7) * DAY,
      created_at: now - (30 - (i % 30)) * DAY,
      updated_at: now - (i % 5) * DAY,
      deleted_at: null,
    };
    yield [user.user_id, user] as const;
  }
}

export function seedDataDir(dataDir: string, options: SeedOptions): SeedResult {
  const engine = Engine.openDataDir(dataDir, options.now ? { now: options.now } : {});
  try {
    seedDemo(engine);
    if (options.moreUsers) engine.system.users.putMany(moreUsers(options.moreUsers, engine.now()));
    const log = engine.system.auditLog;
    const last = log.scanKeys({ reverse: true, limit: 1 }).next();
    const first = last.done ? 0 : last.value + 1;
    // One transaction (putMany) with increasing keys: about a second for 100k entries.
    log.putMany(auditEntries(first, options.auditEntries, engine.now()));
    return { firstAuditId: first, lastAuditId: first + options.auditEntries - 1, auditRows: log.count() };
  } finally {
    engine.close();
  }
}
