import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The language an export is written in: the workbench's. */
export type ExportLang = 'zh' | 'en';

/** Runs a download and tells the person how it went: the file's name, or the API's problem detail. */
function useDownload(): { busy: string | null; run: (key: string, download: () => Promise<string>) => Promise<void>; lang: ExportLang } {
  const { t, i18n } = useTranslation('exports');
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (key: string, download: () => Promise<string>) => {
    setBusy(key);
    try {
      const name = await download();
      void message.success(t('done', { name }));
    } catch (err) {
      void message.error(t('failed', { detail: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(null);
    }
  };
  return { busy, run, lang: i18n.language.startsWith('en') ? 'en' : 'zh' };
}

/**
 * 导出 — downloads the table a page shows, with the page's current filters (every page of it, not only the one
 * shown): Excel (XLSX) or CSV, headers in the workbench's language. `download` makes the request (see api/exports.ts)
 * and answers the saved file's name; a refusal shows the API's problem detail.
 */
export function ExportButtons({ download }: { download: (format: 'xlsx' | 'csv', lang: ExportLang) => Promise<string> }) {
  const { t } = useTranslation('exports');
  const { busy, run, lang } = useDownload();
  return (
    <Space.Compact aria-label={t('group')}>
      <Button icon={<DownloadOutlined />} aria-label={t('xlsxLabel')} loading={busy === 'xlsx'} onClick={() => void run('xlsx', () => download('xlsx', lang))}>
        {t('xlsx')}
      </Button>
      <Button aria-label={t('csvLabel')} loading={busy === 'csv'} onClick={() => void run('csv', () => download('csv', lang))}>
        {t('csv')}
      </Button>
    </Space.Compact>
  );
}

/** 督办周报 — downloads the weekly supervision report (one workbook) as of today, in the workbench's language. */
export function WeeklyReportButton({ download }: { download: (lang: ExportLang) => Promise<string> }) {
  const { t } = useTranslation('exports');
  const { busy, run, lang } = useDownload();
  return (
    <Button icon={<FileExcelOutlined />} aria-label={t('weeklyReportLabel')} loading={busy === 'weekly'} onClick={() => void run('weekly', () => download(lang))}>
      {t('weeklyReport')}
    </Button>
  );
}
