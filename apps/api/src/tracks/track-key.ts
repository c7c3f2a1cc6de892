import { TRACK_KEY_PATTERN } from '../../../../libs/domain/index.js';

/**
 * The OpenAPI description of a `track` field: a pattern, not a closed enum, since tracks are data (the shipped ones
 * and those published at run time, listed by `GET /api/v1/tracks`). Spread into `@ApiProperty`/`@ApiPropertyOptional`.
 */
export const TRACK_KEY_PROPERTY = {
  type: String,
  pattern: TRACK_KEY_PATTERN.source,
  minLength: 2,
  maxLength: 32,
  example: 'standard',
  description: 'Track key (轨道), snake_case, 2–32 characters: one of the tracks listed by GET /api/v1/tracks',
} as const;

/** The message of a malformed track key in a request, naming the rule. */
export const TRACK_KEY_MESSAGE = 'track must be a track key (snake_case, 2–32 characters, starting with a letter), e.g. standard; GET /api/v1/tracks lists them';
