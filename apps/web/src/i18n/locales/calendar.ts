/** Labels of the calendar page (Chinese first, English beside it). */
export const calendar = {
  zh: {},
  en: {},
};
