import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseLocalExcludedPeriodKinds, validateConfig } from '../../../libs/config/app-config.js';

const DB = { DATABASE_URL: 'postgres://u:p@localhost:5432/approvals' };

describe('LOCAL_EXCLUDED_PERIOD_KINDS (local kinds of excluded period, beside 行政许可法 Art. 45)', () => {
  it('defaults to public notice (公示)', () => {
    expect(validateConfig(DB).LOCAL_EXCLUDED_PERIOD_KINDS).toEqual({ public_notice: '公示' });
  });

  it('parses key:label pairs, trimming spaces', () => {
    expect(validateConfig({ ...DB, LOCAL_EXCLUDED_PERIOD_KINDS: ' public_notice : 公示 , site_survey:现场踏勘' }).LOCAL_EXCLUDED_PERIOD_KINDS).toEqual({
      public_notice: '公示',
      site_survey: '现场踏勘',
    });
  });

  it('takes none for no local kinds, and an empty value for the default', () => {
    expect(validateConfig({ ...DB, LOCAL_EXCLUDED_PERIOD_KINDS: 'none' }).LOCAL_EXCLUDED_PERIOD_KINDS).toEqual({});
    expect(validateConfig({ ...DB, LOCAL_EXCLUDED_PERIOD_KINDS: '' }).LOCAL_EXCLUDED_PERIOD_KINDS).toEqual({ public_notice: '公示' });
  });

  it.each<[string, RegExp]>([
    ['public_notice', /entry 'public_notice' must be key:label, e\.g\. public_notice:公示/],
    ['Public-Notice:公示', /key 'Public-Notice' must be snake_case/],
    ['_hidden:公示', /key '_hidden' must be snake_case/],
    ['public_notice:', /label of 'public_notice' must be non-empty text/],
    ['public_notice:公示,,site_survey:踏勘', /entry '' must be key:label/],
    ['public_notice:公示,public_notice:公告', /key 'public_notice' is listed twice/],
    ['auction:拍卖', /key 'auction' is already a kind of 行政许可法 Art\. 45 \(hearing, bidding, auction/],
    [`public_notice:${'公'.repeat(65)}`, /at most 64 characters/],
  ])('refuses %p, naming the variable and the entry', (value, message) => {
    const attempt = (): unknown => validateConfig({ ...DB, LOCAL_EXCLUDED_PERIOD_KINDS: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/LOCAL_EXCLUDED_PERIOD_KINDS /);
    expect(attempt).toThrow(message);
  });

  it('reports every problem at once', () => {
    expect(parseLocalExcludedPeriodKinds('A:x,b:')).toEqual({
      kinds: null,
      problems: [
        "key 'A' must be snake_case (lower-case letters, digits and single underscores, starting with a letter; at most 64 characters)",
        "label of 'b' must be non-empty text of at most 64 characters, e.g. 公示",
      ],
    });
  });
});
