import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `page` from 1 and `pageSize` up to 200 (DESIGN.md §5). */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, default: 1, description: 'Page number, from 1' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number from 1 to 1000000' })
  @Min(1, { message: 'page must be a whole number from 1 to 1000000' })
  @Max(1_000_000, { message: 'page must be a whole number from 1 to 1000000' })
  page: number = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 20, description: 'Items per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'pageSize must be a whole number from 1 to 200' })
  @Min(1, { message: 'pageSize must be a whole number from 1 to 200' })
  @Max(200, { message: 'pageSize must be a whole number from 1 to 200' })
  pageSize: number = 20;
}

/** The list envelope of DESIGN.md §5. */
export interface ListEnvelope<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
