import { ORPCError } from '@orpc/client';
import { describe, expect, it } from 'vitest';
import { EDITABLE_SYSTEM_TABLES } from '../../../shared/forms';
import { formFields } from './form-fields';
import { mapSaveError } from './server-errors';

const fields = formFields(EDITABLE_SYSTEM_TABLES.users.create, ['user_id']);

describe('mapSaveError', () => {
  it('puts VALIDATION issues on their fields, unknown ones on the form', () => {
    const e = new ORPCError('VALIDATION', {
      message: 'Invalid input',
      data: {
        issues: [
          { field: 'values.username', message: 'must not be empty' },
          { field: 'storage_id', message: 'is required when storage_mode is region' },
          { field: 'created_at', message: 'nope' },
        ],
      },
    });
    expect(mapSaveError(e, fields, 'user_id')).toEqual({
      fields: { username: 'must not be empty', storage_id: 'is required when storage_mode is region' },
      form: ['created_at: nope'],
    });
  });

  it('puts UNIQUE_VIOLATION on its field and ALREADY_EXISTS on the key', () => {
    expect(mapSaveError(new ORPCError('UNIQUE_VIOLATION', { data: { field: 'username' } }), fields, 'user_id').fields).toEqual({
      username: 'is already taken',
    });
    expect(mapSaveError(new ORPCError('ALREADY_EXISTS'), fields, 'user_id').fields).toEqual({ user_id: 'already exists' });
  });

  it('shows other errors on the form, without stacks', () => {
    const out = mapSaveError(new ORPCError('READ_ONLY', { message: 'The app is in read-only mode' }), fields, 'user_id');
    expect(out.fields).toEqual({});
    expect(out.form[0]).toMatch(/read-only/);
    expect(mapSaveError(new Error('boom\n    at x (y.js:1:1)'), fields, undefined).form).toEqual(['boom']);
  });
});
