import { describe, expect, it } from '@jest/globals';
import { validateConfig } from '../../../libs/config/app-config.js';

const DB = { DATABASE_URL: 'postgres://u:p@localhost:5432/approvals' };

describe('READ_MODEL_RECONCILE (the read model reconciled with the workflows at start)', () => {
  it('defaults to all', () => {
    expect(validateConfig(DB).READ_MODEL_RECONCILE).toBe('all');
  });

  it.each(['all', 'missing', 'off'])('reads %s', (value) => {
    expect(validateConfig({ ...DB, READ_MODEL_RECONCILE: value }).READ_MODEL_RECONCILE).toBe(value);
  });

  it('refuses another value, naming the variable and the choices', () => {
    expect(() => validateConfig({ ...DB, READ_MODEL_RECONCILE: 'yes' })).toThrow(/READ_MODEL_RECONCILE must be one of all, missing, off/);
  });
});
