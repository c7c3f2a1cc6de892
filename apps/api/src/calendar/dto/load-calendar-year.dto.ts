import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches } from 'class-validator';
import { CharLength } from '../../projects/dto/validators.js';

/** The shape of a date in a notice; whether it is a real date of the year is checked by `fromNotice`. */
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Body of `PUT /calendar/{year}`: a State Council General Office holiday notice. Only the shape is checked
 * here; the dates themselves (real dates inside the year, none both holiday and make-up day, make-up days on
 * Saturdays or Sundays) are checked by libs/calendar `fromNotice`, whose refusal names the offending date.
 * class-validator runs a property's rules from the last written to the first, so the type check (an array, of strings)
 * is written last and a wrong type is named as such, not as a wrong size.
 * The document says the dates' shape (YYYY-MM-DD); a date that is not real, outside the year, both holiday and make-up
 * day, or a make-up day on a weekday matches it and is refused 422 CALENDAR.INVALID_NOTICE naming the date.
 */
export class LoadCalendarYearDto {
  @ApiProperty({
    type: [String],
    items: { type: 'string', pattern: DATE_SHAPE.source },
    minItems: 1,
    maxItems: 366,
    example: ['2027-01-01', '2027-01-02', '2027-01-03'],
    description: 'Every rest day of the notice’s breaks (放假), YYYY-MM-DD inside the year; weekend days inside a break may be listed',
  })
  @ArrayMaxSize(366, { message: 'holidays must list at most 366 dates' })
  @ArrayMinSize(1, { message: 'holidays must list the notice’s rest days (at least one): a year without holidays would count every weekday as working' })
  @Matches(DATE_SHAPE, { each: true, message: 'holidays must be an array of dates YYYY-MM-DD' })
  @IsString({ each: true, message: 'holidays must be an array of dates YYYY-MM-DD' })
  @IsArray({ message: 'holidays must be an array of dates YYYY-MM-DD, e.g. ["2027-01-01"]' })
  holidays!: string[];

  @ApiProperty({ type: [String], items: { type: 'string', pattern: DATE_SHAPE.source }, maxItems: 106, example: ['2027-01-31', '2027-02-20'], description: 'Saturdays/Sundays worked (调休上班), YYYY-MM-DD inside the year; may be empty' })
  @ArrayMaxSize(106, { message: 'makeUpWorkdays must list at most 106 dates (the weekend days of a year)' })
  @Matches(DATE_SHAPE, { each: true, message: 'makeUpWorkdays must be an array of dates YYYY-MM-DD' })
  @IsString({ each: true, message: 'makeUpWorkdays must be an array of dates YYYY-MM-DD' })
  @IsArray({ message: 'makeUpWorkdays must be an array of dates YYYY-MM-DD (empty when the notice has none)' })
  makeUpWorkdays!: string[];

  @ApiProperty({
    example: '国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕x号）',
    minLength: 1,
    maxLength: 500,
    pattern: '\\S',
    description: 'The notice: title and document number',
  })
  @Matches(/\S/, { message: 'source must name the notice (title and document number)' })
  @CharLength(1, 500, { message: 'source must be 1–500 characters' })
  @IsString({ message: 'source must be a string naming the notice (title and document number)' })
  source!: string;
}
