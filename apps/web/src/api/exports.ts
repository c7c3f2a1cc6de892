import { api, ApiError, type Problem } from './client';
import type { operations } from './schema';

/** Query of the ledger export (`GET /api/v1/projects/export`): the project list's filters, format and language. */
export type ProjectsExportQuery = NonNullable<operations['ExportsController_projects']['parameters']['query']>;
/** Query of the stuck list's export (`GET /api/v1/supervision/stuck/export`). */
export type StuckExportQuery = NonNullable<operations['ExportsController_stuck']['parameters']['query']>;
/** Query of the weekly supervision report (`GET /api/v1/supervision/weekly-report`). */
export type WeeklyReportQuery = NonNullable<operations['ExportsController_weeklyReport']['parameters']['query']>;

/**
 * The file name a Content-Disposition gives: the RFC 5987 `filename*` (UTF-8, e.g. 重大项目台账-2026-12-06.xlsx) when
 * present, else the plain `filename`, else `fallback`.
 */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const star = disposition ? /filename\*=UTF-8''([^;]+)/i.exec(disposition) : null;
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      /* a malformed escape: use the plain name */
    }
  }
  const plain = disposition ? /filename="([^"]+)"/i.exec(disposition) : null;
  return plain ? plain[1]! : fallback;
}

/** Hands `blob` to the browser as a download named `name` (an object URL clicked through a hidden link). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * Saves the file of an openapi-fetch call made with `parseAs: 'blob'` under the name its Content-Disposition gives.
 * @returns the name it was saved as
 * @throws ApiError with the API's problem on any non-2xx answer
 */
async function save(call: Promise<{ data?: Blob; error?: unknown; response: Response }>, fallback: string): Promise<string> {
  const { data, error, response } = await call;
  if (!response.ok || !data) throw new ApiError(response.status, (error ?? {}) as Problem);
  const name = fileNameOf(response.headers.get('Content-Disposition'), fallback);
  saveBlob(data, name);
  return name;
}

/** Downloads the ledger (重大项目台账) of the projects matching `query`. */
export function downloadProjectsExport(query: ProjectsExportQuery): Promise<string> {
  return save(api.GET('/api/v1/projects/export', { params: { query }, parseAs: 'blob' }), `ledger.${query.format ?? 'xlsx'}`);
}

/** Downloads the stuck list matching `query`. */
export function downloadStuckExport(query: StuckExportQuery): Promise<string> {
  return save(api.GET('/api/v1/supervision/stuck/export', { params: { query }, parseAs: 'blob' }), `stuck.${query.format ?? 'xlsx'}`);
}

/** Downloads the weekly supervision report (督办周报). */
export function downloadWeeklyReport(query: WeeklyReportQuery): Promise<string> {
  return save(api.GET('/api/v1/supervision/weekly-report', { params: { query }, parseAs: 'blob' }), 'weekly-report.xlsx');
}
