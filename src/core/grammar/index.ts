// Slash-command text → Command, or a UsageError saying what was wrong plus the command's usage lines.
// Each subcommand is one entry of the command table (specs/, one file per slash command: its positional args, its
// flags, how they become a Command); one generic parser (engine.ts) walks the text against that entry, with the
// lexer (lexer.ts) and the value checks (checks.ts). Nothing here does I/O.
export { parseCommand } from './engine.js';
export { helpText, USAGE } from './help.js';
export { MAX_DESCRIPTION_LENGTH, MAX_REASON_LENGTH, MAX_TEXT_LENGTH } from './lexer.js';
