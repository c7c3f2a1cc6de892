/** Labels of the notifications page (Chinese first, English beside it). */
export const notifications = {
  zh: {},
  en: {},
};
