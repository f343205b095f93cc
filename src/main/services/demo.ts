import { NamespaceIdSchema } from '../../shared/keys/namespace-id';
import { UserIdSchema } from '../../shared/keys/user-id';
import { UserNameSchema } from '../../shared/keys/user-name';
import type { User } from '../../shared/system/users';
import { newUser } from '../engine/system/users/new-user';
import { SYSTEM_SUBJECT } from '../engine/access/subject';
import type { Engine } from '../engine/engine';
import { auditEntry } from './audit';
import { SystemCatalog, type SystemTableEntry } from './catalog';
import { seedDemoTables } from './demo-tables';

export const DEMO_NAMESPACE = NamespaceIdSchema.parse('demo');

type DemoUser = Pick<User, 'user_id' | 'username' | 'role' | 'email' | 'auth_type'>;

export const DEMO_USERS: readonly DemoUser[] = [
  { user_id: UserIdSchema.parse('u_alice'), username: UserNameSchema.parse('alice'), role: 'dba', email: 'alice@example.com', auth_type: 'password' },
  { user_id: UserIdSchema.parse('u_bob'), username: UserNameSchema.parse('bob'), role: 'user', email: 'bob@example.com', auth_type: 'password' },
  { user_id: UserIdSchema.parse('u_carol'), username: UserNameSchema.parse('carol'), role: 'service', email: 'carol@example.com', auth_type: 'internal' },
];

/**
 * First-start demo content, so the app is not empty: a `demo` namespace, three users (no
 * passwords), and in the namespace a shared, a user and a stream table with a few rows of alice
 * and bob (see demo-tables.ts). Written by the engine itself (system subject), each with its audit entry, in one
 * transaction. Idempotent: what already exists (by key or username) is left alone.
 * Returns the targets created, e.g. "system.users/u_alice".
 */
export function seedDemo(engine: Engine): string[] {
  const catalog = new SystemCatalog(engine);
  const { namespaces, users, auditLog } = engine.system;
  const now = engine.now();
  const created: string[] = [];
  const record = (entry: SystemTableEntry, key: string, value: object) => {
    const target = `${entry.ref}/${key}`;
    auditLog.append(auditEntry(SYSTEM_SUBJECT, { action: `${entry.name}.create`, target, before: null, after: catalog.summarize(entry, value) }, now));
    created.push(target);
  };

  engine.backend.transaction(() => {
    if (!namespaces.exists(DEMO_NAMESPACE)) {
      const ns = namespaces.insert({
        namespace_id: DEMO_NAMESPACE,
        options: {},
        comment: 'Sample namespace created on first start; safe to delete.',
        created_at: now,
        updated_at: now,
      });
      record(catalog.resolve('system.namespaces'), ns.namespace_id, ns);
    }
    for (const demo of DEMO_USERS) {
      if (users.exists(demo.user_id) || users.byUsername(demo.username)) continue;
      const user = users.insert(newUser(demo, now));
      record(catalog.resolve('system.users'), user.user_id, user);
    }
    // The demo's data tables, only while the demo namespace is there (it may have been dropped on purpose).
    if (namespaces.exists(DEMO_NAMESPACE)) created.push(...seedDemoTables(engine, catalog, DEMO_NAMESPACE, now));
  });
  return created;
}
