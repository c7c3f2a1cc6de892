/**
 * Labels shared by every page: departments, roles, step states, lights, actions, stages and the menu.
 * Chinese first (the district's working language), English beside it.
 */
export const common = {
  zh: {
    appTitle: '重大项目审批工作台',
    menu: { tasks: '待办', stuck: '督办', overview: '总览', projects: '项目', calendar: '工作日历', notifications: '通知', events: '事件待处理' },
    signOut: '退出登录',
    language: 'English',
    loading: '加载中…',
    none: '无',
    departments: {
      development_reform: '发展和改革局',
      natural_resources: '自然资源和规划局',
      ecology_environment: '生态环境局',
      housing_construction: '住房和城乡建设局',
      emergency_management: '应急管理局',
      economy_information: '经济和信息化局',
      customs: '海关',
      project_office: '重大项目办公室',
    },
    roles: { officer: '经办人', department_head: '部门负责人', supervisor: '督办人', admin: '系统管理员', system: '系统接口' },
    states: {
      blocked: '待前置', ready: '待申请', received: '已收件', in_review: '审查中', supplement_requested: '补正中',
      approved: '已办结', delivered: '已送达', waived: '容缺', rejected: '不予许可',
    },
    lights: { green: '绿灯', yellow: '黄灯', red: '红灯' },
    status: { active: '进行中', suspended: '已中止', completed: '已完成', cancelled: '已撤销' },
    actions: {
      receive: '收件', accept: '受理', return: '退回补正', resubmit: '补正提交', approve: '办结', deliver: '送达',
      waive: '容缺受理', reject: '不予许可', reassign: '转办', extend: '延期', exclude: '扣除时限', end_exclusion: '结束扣除', renew: '延续',
      suspend: '中止', resume: '恢复', cancel: '撤销', escalate: '督办',
    },
    units: { working_days: '个工作日', calendar_days: '个自然日' },
    workingDays: '{{count}} 个工作日',
  },
  en: {
    appTitle: 'Major-project approvals',
    menu: { tasks: 'My work', stuck: 'Stuck projects', overview: 'Overview', projects: 'Projects', calendar: 'Calendar', notifications: 'Notifications', events: 'Events' },
    signOut: 'Sign out',
    language: '中文',
    loading: 'Loading…',
    none: 'None',
    departments: {
      development_reform: 'Development and Reform',
      natural_resources: 'Natural Resources and Planning',
      ecology_environment: 'Ecology and Environment',
      housing_construction: 'Housing and Construction',
      emergency_management: 'Emergency Management',
      economy_information: 'Economy and Information Technology',
      customs: 'Customs',
      project_office: 'Major Project Office',
    },
    roles: { officer: 'Officer', department_head: 'Department head', supervisor: 'Supervisor', admin: 'Administrator', system: 'System' },
    states: {
      blocked: 'Blocked', ready: 'Ready', received: 'Received', in_review: 'In review', supplement_requested: 'Supplement requested',
      approved: 'Approved', delivered: 'Delivered', waived: 'Waived', rejected: 'Rejected',
    },
    lights: { green: 'Green', yellow: 'Yellow', red: 'Red' },
    status: { active: 'Active', suspended: 'Suspended', completed: 'Completed', cancelled: 'Cancelled' },
    actions: {
      receive: 'Receive', accept: 'Accept', return: 'Request supplement', resubmit: 'Resubmit', approve: 'Approve', deliver: 'Deliver',
      waive: 'Waive', reject: 'Reject', reassign: 'Reassign', extend: 'Extend', exclude: 'Exclude period', end_exclusion: 'End exclusion', renew: 'Renew',
      suspend: 'Suspend', resume: 'Resume', cancel: 'Cancel', escalate: 'Escalate',
    },
    units: { working_days: 'working days', calendar_days: 'calendar days' },
    workingDays: '{{count}} working days',
  },
};
