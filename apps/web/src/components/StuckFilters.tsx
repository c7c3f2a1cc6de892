import { Button, DatePicker, Form, Select } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useTrackNames } from '../api/tracks';
import { ZONE } from '../format';

/**
 * Stages of the shipped tracks, in process order (the API's `stage` filter); the filter adds the stages of every track
 * released since (GET /tracks), so a track published at run time is filterable without a change here.
 */
export const STAGES = [
  'initiation', 'land_supply', 'permits', 'groundbreaking', 'construction', 'completion', 'joint_acceptance', 'production',
  'start', 'acceptance', 'operation',
] as const;
/** Departments (the API's `department` filter: projects with an open step of it). */
export const DEPARTMENTS = [
  'development_reform', 'natural_resources', 'ecology_environment', 'housing_construction', 'emergency_management', 'economy_information', 'customs', 'project_office',
] as const;
/** Lights (the project's worst light). */
export const LIGHTS = ['green', 'yellow', 'red'] as const;
/** Why a project is stuck (the API's `kind` filter), gravest first. */
export const STUCK_KINDS = ['statutory_overdue', 'overdue', 'at_risk', 'idle'] as const;

/**
 * The filters of the stuck list, named as the API's query parameters of `GET /api/v1/supervision/stuck` and as the
 * page's URL query (so the overview's click-through links and a reload give the same list). Days are `YYYY-MM-DD`
 * (Asia/Shanghai); `dueFrom`/`dueTo` bound a step's published deadline, both inclusive.
 */
export interface StuckFilterValues {
  /** A stage key of any released track (snake_case). */
  stage?: string;
  department?: (typeof DEPARTMENTS)[number];
  district?: string;
  light?: (typeof LIGHTS)[number];
  kind?: (typeof STUCK_KINDS)[number];
  dueFrom?: string;
  dueTo?: string;
}

/** The URL query keys {@link StuckFilterValues} uses, in the order they are written. */
export const STUCK_FILTER_KEYS = ['stage', 'department', 'district', 'light', 'kind', 'dueFrom', 'dueTo'] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A stage key as the API takes it (snake_case, 2–64 characters): any released track's stage. */
const STAGE_KEY = /^[a-z][a-z0-9_]{1,63}$/;
const oneOf = <T extends string>(list: readonly T[], v: string | null): T | undefined => (v !== null && (list as readonly string[]).includes(v) ? (v as T) : undefined);

/**
 * The filters a URL query holds; values the API would refuse (an unknown stage, a malformed day) are dropped, so an
 * edited or stale link still shows a list.
 */
export function stuckFiltersFromSearch(params: URLSearchParams): StuckFilterValues {
  const day = (k: string) => {
    const v = params.get(k);
    return v && DAY.test(v) && dayjs(v, 'YYYY-MM-DD').isValid() ? v : undefined;
  };
  const district = params.get('district')?.trim();
  const out: StuckFilterValues = {
    stage: STAGE_KEY.test(params.get('stage') ?? '') ? params.get('stage')! : undefined,
    department: oneOf(DEPARTMENTS, params.get('department')),
    district: district ? district : undefined,
    light: oneOf(LIGHTS, params.get('light')),
    kind: oneOf(STUCK_KINDS, params.get('kind')),
    dueFrom: day('dueFrom'),
    dueTo: day('dueTo'),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as StuckFilterValues;
}

/**
 * `prev` with the filters replaced by `values` (unset ones removed) and back on page 1; other keys (pageSize,
 * sort) are kept.
 */
export function searchWithStuckFilters(prev: URLSearchParams, values: StuckFilterValues): URLSearchParams {
  const next = new URLSearchParams(prev);
  for (const k of STUCK_FILTER_KEYS) {
    const v = values[k];
    if (v === undefined || v === '') next.delete(k);
    else next.set(k, v);
  }
  next.delete('page');
  return next;
}

/**
 * The stuck list's filters held in the page's URL query.
 * @returns the current filters and `setFilters`, which writes them into the URL (a new history entry, so Back
 *   returns to the previous filters) and goes back to page 1
 */
export function useStuckFiltersInUrl(): [StuckFilterValues, (values: StuckFilterValues) => void] {
  const [params, setParams] = useSearchParams();
  const serialized = params.toString();
  const values = useMemo(() => stuckFiltersFromSearch(new URLSearchParams(serialized)), [serialized]);
  const set = useCallback((v: StuckFilterValues) => setParams((prev) => searchWithStuckFilters(prev, v)), [setParams]);
  return [values, set];
}

/** Props of {@link StuckFilters}. */
export interface StuckFiltersProps {
  value: StuckFilterValues;
  /** Called with the whole new set of filters on every change (unset ones left out). */
  onChange: (next: StuckFilterValues) => void;
  /** Districts to offer (e.g. from the overview's counts); the current one is offered too. */
  districts?: readonly string[];
}

/**
 * The stuck list's filters: stage, department, district, light, why it is stuck (kind), and a due-date range on
 * the steps' published deadlines ("what falls due before the end of the month"). A controlled component: it shows
 * `value` and reports each change through `onChange` with the whole set; {@link useStuckFiltersInUrl} keeps them in
 * the URL. Every control has a visible label tied to it (`htmlFor`/`id`); all work with the keyboard.
 */
export function StuckFilters({ value, onChange, districts = [] }: StuckFiltersProps) {
  const { t } = useTranslation('stuck');
  const { t: tc } = useTranslation();
  const set = <K extends keyof StuckFilterValues>(k: K, v: StuckFilterValues[K] | undefined) => {
    const next: StuckFilterValues = { ...value, [k]: v };
    if (v === undefined || v === '') delete next[k];
    onChange(next);
  };
  const districtOptions = [...new Set([...districts, ...(value.district ? [value.district] : [])])].sort();
  // Tracks are data (GET /tracks): the stages of every released track, named as its definition names them.
  const tracks = useTrackNames();
  const stageOptions = [...new Set<string>([...STAGES, ...tracks.stages, ...(value.stage ? [value.stage] : [])])];
  const any = t('filters.any');
  const select = <K extends 'stage' | 'department' | 'district' | 'light' | 'kind'>(k: K, options: Array<{ value: string; label: string }>, width = 150) => (
    <Form.Item label={t(`filters.${k}`)} htmlFor={`stuck-filter-${k}`} style={{ marginBottom: 8 }}>
      <Select
        id={`stuck-filter-${k}`}
        style={{ width }}
        value={value[k] ?? ''}
        options={[{ value: '', label: any }, ...options]}
        onChange={(v: string) => set(k, (v || undefined) as StuckFilterValues[K])}
        popupMatchSelectWidth={false}
        showSearch={k === 'district' ? { optionFilterProp: 'label' } : undefined}
        virtual={false}
      />
    </Form.Item>
  );
  const dueFrom = value.dueFrom ? dayjs(value.dueFrom) : null;
  const dueTo = value.dueTo ? dayjs(value.dueTo) : null;
  // Today in Asia/Shanghai, as a local wall-clock day (the picker works in the browser's zone).
  const today = dayjs(dayjs().tz(ZONE).format('YYYY-MM-DD'));
  const active = STUCK_FILTER_KEYS.some((k) => value[k] !== undefined);
  return (
    <Form layout="inline" component="div" role="search" aria-label={t('filters.label')} style={{ rowGap: 4 }}>
      {select('stage', stageOptions.map((s) => ({ value: s, label: t(`stages.${s}`, { defaultValue: tracks.stageNameOf(s) ?? s }) })))}
      {select('department', DEPARTMENTS.map((d) => ({ value: d, label: tc(`departments.${d}`) })), 180)}
      {select('district', districtOptions.map((d) => ({ value: d, label: d })))}
      {select('light', LIGHTS.map((l) => ({ value: l, label: tc(`lights.${l}`) })), 110)}
      {select('kind', STUCK_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) })), 150)}
      <Form.Item label={t('filters.dueFrom')} htmlFor="stuck-filter-dueFrom" style={{ marginBottom: 8 }}>
        <DatePicker
          id="stuck-filter-dueFrom"
          value={dueFrom}
          format="YYYY-MM-DD"
          onChange={(d) => set('dueFrom', d ? d.format('YYYY-MM-DD') : undefined)}
          disabledDate={(d) => (dueTo ? d.isAfter(dueTo, 'day') : false)}
        />
      </Form.Item>
      <Form.Item label={t('filters.dueTo')} htmlFor="stuck-filter-dueTo" style={{ marginBottom: 8 }}>
        <DatePicker
          id="stuck-filter-dueTo"
          value={dueTo}
          format="YYYY-MM-DD"
          onChange={(d) => set('dueTo', d ? d.format('YYYY-MM-DD') : undefined)}
          disabledDate={(d) => (dueFrom ? d.isBefore(dueFrom, 'day') : false)}
          presets={[
            { label: t('filters.endOfMonth'), value: today.endOf('month').startOf('day') },
            { label: t('filters.endOfNextMonth'), value: today.add(1, 'month').endOf('month').startOf('day') },
          ]}
        />
      </Form.Item>
      <Form.Item style={{ marginBottom: 8 }}>
        <Button onClick={() => onChange({})} disabled={!active}>
          {t('filters.clear')}
        </Button>
      </Form.Item>
    </Form>
  );
}
