import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, registerDecorator, type ValidationArguments } from 'class-validator';
import { UNPROCESSABLE_CONTEXT } from '../../common/problem.js';
import { IsCalendarDate, isCalendarDate } from './validators.js';

const RANGE_NOTE =
  "Inclusive, Asia/Shanghai. Matches a step's published deadline (承诺时限: its dueOn), not the statutory one, on steps whose clock " +
  'has started and is not decided (in review, or waiting for a supplement); while a clock is stopped (补正, suspension, an excluded period) ' +
  'the step has no due day and falls in no range.';

/** `dueTo` must not be before `dueFrom` (when both are valid dates): the range would be empty. */
function NotBeforeDueFrom(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'notBeforeDueFrom',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        context: UNPROCESSABLE_CONTEXT,
        message: (a: ValidationArguments) => `dueTo (${String(a.value)}) is before dueFrom (${String((a.object as DueRangeDto).dueFrom)}); the range would be empty`,
      },
      validator: {
        validate: (value: unknown, a: ValidationArguments) => {
          const from = (a.object as DueRangeDto).dueFrom;
          return !isCalendarDate(from) || !isCalendarDate(value) || value >= from;
        },
      },
    });
}

/**
 * A range of due days (`dueFrom`, `dueTo`; YYYY-MM-DD Asia/Shanghai, both inclusive, either may be left out) on a
 * step's published deadline: "what falls due before the end of the month". Shared by the work queue, the project
 * list and the supervision views; each applies it to the steps it lists (see the repositories).
 */
export class DueRangeDto {
  @ApiPropertyOptional({ type: String, format: 'date', example: '2026-11-01', description: `First due day of the range. ${RANGE_NOTE}` })
  @IsOptional()
  @IsCalendarDate({ message: 'dueFrom must be a date YYYY-MM-DD' })
  dueFrom?: string;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2026-11-30', description: `Last due day of the range; not before dueFrom. ${RANGE_NOTE}` })
  @IsOptional()
  @IsCalendarDate({ message: 'dueTo must be a date YYYY-MM-DD' })
  @NotBeforeDueFrom()
  dueTo?: string;
}
