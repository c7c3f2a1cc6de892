import { ApiProperty } from '@nestjs/swagger';
import { DEPARTMENT_KEYS } from '../../../../../libs/domain/index.js';

/**
 * The `data` of an `event: project` on `GET /api/v1/live`: a project changed in the read model (an officer acted,
 * a deadline turned a light, an inbound fact arrived). Refetch what shows it: `GET /projects/{code}`, its timeline,
 * the work queues of `departments`, the lists and the overview.
 */
export class LiveProjectEventDto {
  @ApiProperty({ example: '2022-330602-39-03-000001' }) code!: string;
  @ApiProperty({ type: 'integer', example: 7, description: 'The project state version now stored; a later event of the same project never has a smaller one' })
  version!: number;
  @ApiProperty({ example: 'land_and_planning' }) stage!: string;
  @ApiProperty({ enum: ['active', 'suspended', 'completed', 'cancelled'] }) status!: string;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) light!: string;
  @ApiProperty({ type: [String], enum: DEPARTMENT_KEYS, description: 'Departments with a step in the project: whose work queues may show it' })
  departments!: string[];
  @ApiProperty({ type: 'integer', nullable: true, example: 12, description: 'The largest timeline seq this change wrote; null when no entry was new' })
  timelineSeq!: number | null;
}

/** The `data` of `event: ready`, the first event of every stream. */
export class LiveReadyEventDto {
  @ApiProperty({ description: 'False while this API instance reconnects to the database: changes resume after an `event: resync`' })
  listening!: boolean;
}
