import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { CharLength } from './validators.js';
import { DEPARTMENT_KEYS, TRACK_KEY_PATTERN } from '../../../../../libs/domain/index.js';
import { TRACK_KEY_MESSAGE, TRACK_KEY_PROPERTY } from '../../tracks/track-key.js';
import { DueRangeDto } from './due-range.dto.js';

/** A stage key as a track definition writes it (libs/domain/tracks/track-definition.schema.ts). */
const STAGE_KEY = /^[a-z][a-z0-9_]{1,63}$/;
const LIGHTS = ['green', 'yellow', 'red'];

/**
 * Filters shared by `GET /projects` and the supervision views (combined with AND); each list adds the
 * `status` values it allows. The due range matches projects with an open step due in it (with `department`,
 * a step of that department).
 */
export class ProjectFilterDto extends DueRangeDto {
  @ApiPropertyOptional({
    type: String,
    pattern: STAGE_KEY.source,
    example: 'permits',
    description: 'A stage key of the projects\' tracks (GET /api/v1/tracks lists each version\'s stages; tracks are data, so the set is open)',
  })
  @IsOptional()
  @Matches(STAGE_KEY, { message: 'stage must be a stage key (snake_case, 2–64 characters), e.g. permits; GET /api/v1/tracks lists each track\'s stages' })
  @IsString({ message: 'stage must be a stage key (snake_case), e.g. permits' })
  stage?: string;

  @ApiPropertyOptional(TRACK_KEY_PROPERTY)
  @IsOptional()
  @Matches(TRACK_KEY_PATTERN, { message: TRACK_KEY_MESSAGE })
  @IsString({ message: TRACK_KEY_MESSAGE })
  track?: string;

  @ApiPropertyOptional({ enum: DEPARTMENT_KEYS, description: 'Projects with an open step (ready, in review, supplement requested) of this department' })
  @IsOptional()
  @IsIn(DEPARTMENT_KEYS, { message: `department must be one of: ${DEPARTMENT_KEYS.join(', ')}` })
  department?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 64, example: '越城区' })
  @IsOptional()
  @IsString()
  @CharLength(1, 64, { message: 'district must be 1–64 characters' })
  district?: string;

  @ApiPropertyOptional({ enum: LIGHTS, description: 'Projects whose worst light is this one' })
  @IsOptional()
  @IsIn(LIGHTS, { message: `light must be one of: ${LIGHTS.join(', ')}` })
  light?: string;
}
