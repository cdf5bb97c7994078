// Usage lines and /snapshot help, read from the command table: what a usage error shows, and the help answer.
import type { SlashCommandName } from '../commands.js';
import type { CommandSpec } from './spec.js';
import { SPECS } from './specs/index.js';

export const HELP_WORDS = new Set(['help', '--help', '-h', '?']);

/** In the contract's order: the bare form, the command alone, then the subcommands. */
function usageLines(spec: CommandSpec): Array<[string, string]> {
  return [
    ...(spec.bare?.lines ?? []),
    ...(spec.empty ? [spec.empty.line] : []),
    ...Object.values(spec.subs).flatMap((form) => form.lines),
  ];
}

export const USAGE = Object.fromEntries(
  (Object.keys(SPECS) as SlashCommandName[]).map((name) => [name, usageLines(SPECS[name]).map(([usage]) => usage).join('\n')]),
) as Record<SlashCommandName, string>;

/** The answer to /snapshot help: every form of all four commands, one line each. */
export function helpText(): string {
  const sections = (Object.keys(SPECS) as SlashCommandName[]).map((name) =>
    usageLines(SPECS[name])
      .map(([usage, explanation]) => `\`${usage}\` — ${explanation}`)
      .join('\n'),
  );
  return [
    'snapbot manages EBS snapshots and AMIs. IDs are vol-, snap-, ami- or i- followed by 8 or 17 hex digits; accounts are 12 digits. Deleting, deregistering and sharing outside the allowed accounts need an approver.',
    'Every command that acts on a resource also takes `--region R` (default: the home region) and, where snapbot manages several accounts, `--account <alias|ID>` (default: the channel\'s account, else snapbot\'s own).',
    ...sections,
  ].join('\n\n');
}
