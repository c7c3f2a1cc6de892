/** Labels of the stuck page (Chinese first, English beside it). */
export const stuck = {
  zh: {},
  en: {},
};
