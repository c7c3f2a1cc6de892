/** Moving a project to a newer version of its track (the project page's 「迁移到新版本」). */
export const trackMigration = {
  zh: {
    button: '迁移到新版本',
    title: '迁移到新版本：{{code}}',
    from: '当前版本',
    to: '迁移到',
    version: '{{track}} 第 {{version}} 版（{{name}}）',
    explain:
      '已办结的环节保留；新版本新增的环节按其前置环节为「待前置」或「可申请」；旧版本独有的环节若正在办理则不能迁移。正在计时的环节保留起算日，按新版本时限重算。迁移记入项目时间线。',
    comment: '迁移说明',
    commentHint: '为什么迁移（记入时间线，可不填）',
    confirm: '确认迁移',
    done: '已迁移到 {{definition}}',
    refused: '迁移被拒绝',
  },
  en: {
    button: 'Move to a newer version',
    title: 'Move {{code}} to a newer version',
    from: 'Current version',
    to: 'Move to',
    version: '{{track}} version {{version}} ({{name}})',
    explain:
      'Done steps are kept; steps new in the version start blocked or ready by their dependencies; a step only in the old version that is in progress prevents the move. A running clock keeps its start and takes the new limit. The move is recorded on the timeline.',
    comment: 'Reason',
    commentHint: 'Why the project moves (on the timeline; optional)',
    confirm: 'Move',
    done: 'Moved to {{definition}}',
    refused: 'Move refused',
  },
} as const;
