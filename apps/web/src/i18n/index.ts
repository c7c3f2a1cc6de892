import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { calendar } from './locales/calendar';
import { common } from './locales/common';
import { events } from './locales/events';
import { exports } from './locales/exports';
import { notifications } from './locales/notifications';
import { overview } from './locales/overview';
import { project } from './locales/project';
import { projects } from './locales/projects';
import { signin } from './locales/signin';
import { stuck } from './locales/stuck';
import { tasks } from './locales/tasks';
import { trackMigration } from './locales/trackMigration';

/** One namespace per page; `common` holds the labels every page shares. */
const namespaces = { common, signin, tasks, stuck, overview, project, projects, calendar, notifications, exports, events, trackMigration } as const;

const STORAGE_KEY = 'approvals.lang';

/** The language chosen last in this browser, Chinese by default. */
export function initialLanguage(): 'zh' | 'en' {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** Switches the workbench's language and remembers it. */
export function setLanguage(lang: 'zh' | 'en'): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode: the switch still applies to this page */
  }
  void i18n.changeLanguage(lang);
  if (globalThis.document) document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

void i18n.use(initReactI18next).init({
  resources: {
    zh: Object.fromEntries(Object.entries(namespaces).map(([ns, r]) => [ns, r.zh])),
    en: Object.fromEntries(Object.entries(namespaces).map(([ns, r]) => [ns, r.en])),
  },
  lng: initialLanguage(),
  fallbackLng: 'zh',
  defaultNS: 'common',
  interpolation: { escapeValue: false },
});

export default i18n;
