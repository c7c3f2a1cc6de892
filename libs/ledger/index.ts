/** The major-project ledger (重大项目台账) as a table: columns, words, conversions and the rows of a project. */
export * from './ledger-columns.js';
export * from './ledger-rows.js';
