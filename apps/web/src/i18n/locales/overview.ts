/** Labels of the overview page (Chinese first, English beside it). */
export const overview = {
  zh: {},
  en: {},
};
