/**
 * Department keys of the public contract (DESIGN.md §5). Each approval step belongs to one department;
 * officers act on their own department's steps.
 */
export const DEPARTMENTS = {
  development_reform: { name: 'Development and Reform Bureau', nameZh: '发展和改革局' },
  natural_resources: { name: 'Natural Resources and Planning Bureau', nameZh: '自然资源和规划局' },
  ecology_environment: { name: 'Ecology and Environment Bureau', nameZh: '生态环境局' },
  housing_construction: { name: 'Housing and Urban-Rural Construction Bureau', nameZh: '住房和城乡建设局' },
  emergency_management: { name: 'Emergency Management Bureau', nameZh: '应急管理局' },
  economy_information: { name: 'Economy and Information Technology Bureau', nameZh: '经济和信息化局' },
  customs: { name: 'Customs', nameZh: '海关' },
  project_office: { name: 'Major Project Office', nameZh: '重大项目办公室' },
} as const;

/** One of the department keys above. */
export type DepartmentKey = keyof typeof DEPARTMENTS;

/** All department keys, in contract order. */
export const DEPARTMENT_KEYS = Object.keys(DEPARTMENTS) as DepartmentKey[];

/** True when `value` is a department key of the contract. */
export function isDepartmentKey(value: unknown): value is DepartmentKey {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DEPARTMENTS, value);
}
