// The shape of the command table: one Form per subcommand (its args, its flags, how they become a Command).
import type { Command } from '../commands.js';
import type { ResourceKind } from '../ids.js';

/** Takes the text as typed and returns it normalised, or throws Bad naming the value and what is allowed. */
export type Check = (value: string) => string;

export interface ArgSpec {
  name: string;
  check: Check;
  /** Takes every word up to the next flag (an AMI name may have spaces without quotes). */
  words?: true;
  /** Takes the rest of the line verbatim; only for a final optional arg. */
  rawRest?: true;
}

export interface FlagSpec {
  /** Placeholder for the value; absent for a boolean flag. */
  value?: string;
  check?: Check;
  /** Takes every word up to the next flag: `--reason old build, not needed`. */
  words?: true;
  /** A unit word that may follow the value as a word of its own (`--expires-in 7 days`): taken with it. */
  unit?: RegExp;
}

export type FlagValues = Readonly<Partial<Record<string, string | true>>>;

export interface Form {
  /** How errors name it: "/snapshot copy". */
  title: string;
  lines: Array<[usage: string, explanation: string]>;
  args?: ArgSpec[];
  optional?: ArgSpec;
  flags?: Record<string, FlagSpec>;
  /** Words that pick a further form, as `/snapshot schedule pause …` does. */
  subs?: Record<string, Form>;
  /** Acts on nothing in AWS by itself (help, withdraw, audit), so takes no --region or --account. */
  unscoped?: true;
  build(args: string[], optional: string | undefined, flags: FlagValues): Command;
}

export interface CommandSpec {
  /** What the command alone means, when it means something. */
  empty?: { line: [string, string]; command: Command };
  /** The form whose first word is an argument rather than a subcommand. */
  bare?: Form;
  /** When a first word is handed to `bare` rather than called an unknown subcommand. */
  bareTakes?: (word: string) => boolean;
  subs: Record<string, Form>;
  /** Advice for a well-formed ID given where a subcommand belongs. */
  idHint?: Partial<Record<ResourceKind, (id: string) => string>>;
}

export const str = (flags: FlagValues, name: string) => {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
};
export const opt = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

export const noArgs = (command: Command) => () => command;

export function numberFlag(f: FlagValues, name: string): number | undefined {
  const v = str(f, name);
  return v === undefined ? undefined : Number(v);
}
