import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { CharLength, NOT_BLANK } from './validators.js';

/**
 * Body of `POST /projects/{code}/track-migration`: the version of the project's own track to move to (newer than the
 * one it runs on), and why. The project's track stays; only its version changes.
 */
export class TrackMigrationDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10000, example: 3, description: 'The version of the project’s track to move to; must be newer than the one it runs on' })
  @Max(10000, { message: 'toVersion must be a whole version number from 1 to 10000' })
  @Min(1, { message: 'toVersion must be a whole version number from 1 to 10000' })
  @IsInt({ message: 'toVersion must be a whole version number from 1 to 10000' })
  toVersion!: number;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, pattern: NOT_BLANK, description: 'Why the project moves (on its timeline with the migration)' })
  @ValidateIf((o: TrackMigrationDto) => o.comment !== undefined)
  @CharLength(1, 2000, { message: 'comment must be 1–2000 characters' })
  @Matches(/\S/, { message: 'comment must not be blank' })
  @IsString({ message: 'comment must be text' })
  comment?: string;
}
