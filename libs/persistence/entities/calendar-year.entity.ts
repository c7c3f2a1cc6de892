import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One year of the working-day calendar as an administrator loaded it from the State Council General Office's
 * notice (国务院办公厅关于YYYY年部分节假日安排的通知). It replaces the built-in data of that year; years with no
 * row and no built-in notice are provisional (libs/calendar). Written only through `CalendarRepository.save`,
 * which validates the notice first. Dates are Asia/Shanghai civil dates.
 */
@Entity({ name: 'calendar_years' })
@Check('ck_calendar_years_year', `"year" BETWEEN 1949 AND 2199`)
export class CalendarYearEntity {
  @PrimaryColumn({ type: 'int' })
  year!: number;

  /** Rest days of the notice's breaks (weekend days inside a break may be listed). */
  @Column({ type: 'date', array: true })
  holidays!: string[];

  /** Saturdays and Sundays worked (调休上班). */
  @Column({ name: 'make_up_workdays', type: 'date', array: true })
  makeUpWorkdays!: string[];

  /** The notice's title and document number. */
  @Column({ type: 'text' })
  source!: string;

  /** Who loaded it (the bearer token's sub). */
  @Column({ name: 'loaded_by', type: 'varchar', length: 64 })
  loadedBy!: string;

  @Column({ name: 'loaded_at', type: 'timestamptz', default: () => 'now()' })
  loadedAt!: Date;
}
