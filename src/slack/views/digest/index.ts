// The cost-cleanup digest as a Slack message, an owner's reminder, plain text for the terminal, and CSV: pure
// functions of a DigestSummary (src/core/digest.ts); Slack's limits come from ../blockkit.ts.
export * from './actions.js';
export { csvField, CSV_COLUMNS, digestCsv, digestCsvLines } from './csv.js';
export { DEFAULT_MAX_ITEMS, DEFAULT_TITLE, digestMessage, reminderMessage } from './message.js';
export { digestText } from './text.js';
export { costByAgeChart } from './words.js';
