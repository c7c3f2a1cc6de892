import { ApiProperty } from '@nestjs/swagger';

/** One dependency's state as the health check reports it (@nestjs/terminus): `up` or `down`, with what the check adds. */
const INDICATORS = {
  type: 'object' as const,
  description: 'Per dependency (database, temporal): `{ status: "up" | "down", … }` with what the check adds (responseTime in ms, namespace, message)',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
};

/** Answer of `GET /health` while every dependency answers (the @nestjs/terminus result). */
export class HealthDto {
  @ApiProperty({ enum: ['ok'], description: 'ok: the database and Temporal both answer (otherwise the answer is a 503 problem)' })
  status!: 'ok';

  @ApiProperty({ ...INDICATORS, example: { database: { status: 'up', responseTime: 3 }, temporal: { status: 'up', namespace: 'default' } } })
  info!: Record<string, { status: string }>;

  @ApiProperty({ ...INDICATORS, description: 'The dependencies that are down (empty while status is ok)', example: {} })
  error!: Record<string, { status: string }>;

  @ApiProperty({ ...INDICATORS, description: 'Every dependency checked' })
  details!: Record<string, { status: string }>;
}

/** Answer of `GET /health/live`: the process answers (the @nestjs/terminus result with one `process` indicator). */
export class LivenessDto {
  @ApiProperty({ enum: ['ok'], description: 'ok: the API process answers requests' })
  status!: 'ok';

  @ApiProperty({ ...INDICATORS, description: '`process`: `{ status: "up", uptimeSeconds }`', example: { process: { status: 'up', uptimeSeconds: 42 } } })
  info!: Record<string, { status: string }>;

  @ApiProperty({ ...INDICATORS, description: 'Always empty', example: {} })
  error!: Record<string, { status: string }>;

  @ApiProperty({ ...INDICATORS, description: 'As info' })
  details!: Record<string, { status: string }>;
}
