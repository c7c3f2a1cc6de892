/** Labels of the tasks page (Chinese first, English beside it). */
export const tasks = {
  zh: {},
  en: {},
};
