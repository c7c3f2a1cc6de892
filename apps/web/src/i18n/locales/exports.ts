/** Labels of the download buttons (导出, 督办周报), Chinese first, English beside it. */
export const exports = {
  zh: {
    group: '导出',
    xlsx: '导出',
    xlsxLabel: '导出 Excel（按当前筛选）',
    csv: 'CSV',
    csvLabel: '导出 CSV（按当前筛选）',
    weeklyReport: '督办周报',
    weeklyReportLabel: '下载督办周报（Excel）',
    done: '已下载 {{name}}',
    failed: '导出失败：{{detail}}',
  },
  en: {
    group: 'Export',
    xlsx: 'Export',
    xlsxLabel: 'Export to Excel (current filters)',
    csv: 'CSV',
    csvLabel: 'Export to CSV (current filters)',
    weeklyReport: 'Weekly report',
    weeklyReportLabel: 'Weekly report: download the supervision report (Excel)',
    done: 'Downloaded {{name}}',
    failed: 'Export failed: {{detail}}',
  },
} as const;
