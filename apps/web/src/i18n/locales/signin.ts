/** Labels of the signin page (Chinese first, English beside it). */
export const signin = {
  zh: {},
  en: {},
};
