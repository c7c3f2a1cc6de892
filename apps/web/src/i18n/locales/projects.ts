/** Labels of the projects page (Chinese first, English beside it). */
export const projects = {
  zh: {},
  en: {},
};
