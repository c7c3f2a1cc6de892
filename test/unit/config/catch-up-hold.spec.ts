import { describe, expect, it } from '@jest/globals';
import { validateConfig } from '../../../libs/config/app-config.js';

const DB = { DATABASE_URL: 'postgres://u:p@localhost:5432/approvals' };

describe('CATCH_UP_HOLD_MS (how long alerts already due at planning wait)', () => {
  it('defaults to a minute', () => {
    expect(validateConfig(DB).CATCH_UP_HOLD_MS).toBe(60_000);
  });

  it('reads whole milliseconds from the environment', () => {
    expect(validateConfig({ ...DB, CATCH_UP_HOLD_MS: '1000' }).CATCH_UP_HOLD_MS).toBe(1_000);
    expect(validateConfig({ ...DB, CATCH_UP_HOLD_MS: '0' }).CATCH_UP_HOLD_MS).toBe(0);
  });

  it.each(['-1', '1.5', 'a minute', '3600001'])('refuses %s, naming the variable', (value) => {
    expect(() => validateConfig({ ...DB, CATCH_UP_HOLD_MS: value })).toThrow(/CATCH_UP_HOLD_MS must be a whole number of milliseconds from 0 to 3600000/);
  });
});
