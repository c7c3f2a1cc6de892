/** Labels of the project page (Chinese first, English beside it). */
export const project = {
  zh: {},
  en: {},
};
