// The generic parser: walks a command's text against its entry in the command table and returns the Command, or a
// UsageError naming what was wrong with the usage lines. No I/O; every ID is checked by shape before it returns.
import { type Command, type SlashCommandName, UsageError } from '../commands.js';
import { resourceKindOf } from '../ids.js';
import { KIND_LABEL, orList, SCOPE_FLAGS } from './checks.js';
import { HELP_WORDS, USAGE } from './help.js';
import { asFlag, Bad, bad, checking, clean, closersFor, Lexer, MAX_TEXT_LENGTH, q, type Token } from './lexer.js';
import { opt, str, type CommandSpec, type FlagSpec, type Form } from './spec.js';
import { SPECS } from './specs/index.js';

/** The form being read when a problem was found: its usage lines are the ones an error shows. */
interface Reading {
  form?: Form;
}

export function parseCommand(command: SlashCommandName, text: string): Command {
  const spec: CommandSpec | undefined = Object.hasOwn(SPECS, command) ? SPECS[command] : undefined;
  const usage = spec ? USAGE[command] : Object.values(USAGE).join('\n');
  const reading: Reading = {};
  try {
    if (!spec) bad(`snapbot does not answer ${q(String(command))}`);
    const raw = typeof text === 'string' ? text : '';
    if (raw.length > MAX_TEXT_LENGTH) bad(`too long: ${raw.length} characters; a command may have at most ${MAX_TEXT_LENGTH}`);
    return parseWith(command, spec, new Lexer(clean(raw)), reading);
  } catch (e) {
    if (e instanceof Bad) throw new UsageError(e.message, usage, e.about, spec ? usageOf(command, spec, reading.form) : usage);
    throw e;
  }
}

/** What a usage error shows: the form's own usage lines, or (no form known yet) one line naming the subcommands. */
function usageOf(command: SlashCommandName, spec: CommandSpec, form: Form | undefined): string {
  if (form) return form.lines.map(([line]) => line).join('\n');
  const forms = [...(spec.bare?.args?.[0] ? [spec.bare.args[0].name] : []), ...Object.keys(spec.subs)];
  if (forms.length === 0) return USAGE[command];
  return `${command} ${forms.join(' | ')} …    (${spec.subs.help ? `${command} help` : `${command} alone`} shows each form)`;
}

function parseWith(command: SlashCommandName, spec: CommandSpec, lexer: Lexer, reading: Reading): Command {
  const first = lexer.peek();
  if (first === undefined) return spec.empty ? spec.empty.command : parseForm(spec.bare!, lexer, reading);
  const word = first.value.toLowerCase();
  // Help is harmless, so whatever follows it is ignored.
  if (!first.quoted && HELP_WORDS.has(word)) {
    if (spec.subs.help) return spec.subs.help.build([], undefined, {});
    bad(`${command} has no subcommands; here is how to use it:`);
  }
  if (!first.quoted && Object.hasOwn(spec.subs, word)) {
    lexer.next();
    return parseForm(spec.subs[word], lexer, reading);
  }
  if (spec.bare && spec.bareTakes?.(first.value)) return parseForm(spec.bare, lexer, reading);

  const kind = resourceKindOf(first.value);
  const hint = kind !== undefined ? spec.idHint?.[kind]?.(first.value) : undefined;
  if (hint) bad(`${q(first.value)} is ${KIND_LABEL[kind!]} ID but no subcommand was given: ${hint}`);
  const subs = Object.keys(spec.subs);
  const guess = closest(word, subs);
  bad(
    `unknown subcommand ${q(first.value)}${guess ? ` (did you mean ${guess}?)` : ''}: use ${orList(subs)}` +
      (spec.bare ? `, or start with ${spec.bare.args?.[0]?.name}` : ''),
  );
}

function parseForm(form: Form, lexer: Lexer, reading: Reading): Command {
  reading.form = form;
  const flagSpecs: Record<string, FlagSpec> = form.unscoped ? (form.flags ?? {}) : { ...form.flags, ...SCOPE_FLAGS };
  const isFlag = (t: Token | undefined) => t !== undefined && asFlag(t) !== undefined;
  const next = lexer.peek();
  if (form.subs && next !== undefined && !next.quoted && Object.hasOwn(form.subs, next.value.toLowerCase())) {
    lexer.next();
    return parseForm(form.subs[next.value.toLowerCase()], lexer, reading);
  }

  /** This word and the following ones up to the next flag, as one value. */
  const words = (first: string) => {
    const parts = [first];
    while (lexer.peek() !== undefined && !isFlag(lexer.peek())) parts.push(lexer.next()!.value);
    return parts.join(' ').trim();
  };

  const args = (form.args ?? []).map((arg) => {
    const token = lexer.peek();
    if (token === undefined || isFlag(token)) bad(`${form.title} needs ${arg.name}`, arg.name);
    lexer.next();
    return checking(arg.name, () => arg.check(arg.words ? words(token.value) : token.value));
  });

  const flags: Record<string, string | true> = {};
  let optional: string | undefined;
  if (form.optional?.rawRest) {
    // Flags may come before free text (`/snapshot vol-… --expires-in 7d before the upgrade`), never after it.
    while (isFlag(lexer.peek()) && Object.hasOwn(flagSpecs, asFlag(lexer.peek()!)!.name)) readFlag(lexer.next()!);
    optional = checking(form.optional.name, () => freeTextRest(lexer.rest(), form));
  } else if (form.optional) {
    const token = lexer.peek();
    if (token !== undefined && !isFlag(token)) optional = checking(form.optional.name, () => form.optional!.check(lexer.next()!.value));
  }

  function readFlag(token: Token): void {
    const flag = asFlag(token);
    if (!flag) bad(strayWord(token.value, form));
    checking(`--${flag.name}`, () => readFlagValue(flag));
  }

  function readFlagValue(flag: { name: string; inline?: string }): void {
    const spec = Object.hasOwn(flagSpecs, flag.name) ? flagSpecs[flag.name] : undefined;
    if (!spec) bad(unknownFlag(flag.name, form, Object.keys(flagSpecs)));
    if (Object.hasOwn(flags, flag.name)) bad(`--${flag.name} is given twice; give it once`);
    if (spec.value === undefined) {
      if (flag.inline !== undefined) bad(`--${flag.name} takes no value (found ${q(flag.inline)}); just say --${flag.name}`);
      flags[flag.name] = true;
      return;
    }
    let value = flag.inline;
    if (value === undefined && lexer.peek() !== undefined && !isFlag(lexer.peek())) value = lexer.next()!.value;
    if (value !== undefined && spec.words) value = words(value);
    const unit = lexer.peek();
    if (value !== undefined && spec.unit && flag.inline === undefined && unit && !unit.quoted && spec.unit.test(unit.value)) value += lexer.next()!.value;
    if (value === undefined || value.trim() === '') bad(`--${flag.name} needs a value: --${flag.name} ${spec.value}`);
    flags[flag.name] = spec.check ? spec.check(value.trim()) : value.trim();
  }
  for (let token = lexer.next(); token !== undefined; token = lexer.next()) readFlag(token);
  const command = form.build(args, optional, flags);
  const where = { ...opt('region', str(flags, 'region')), ...opt('account', str(flags, 'account')) };
  return Object.keys(where).length > 0 ? { ...command, where } : command;
}

/** A description is the rest of the line; quotes around all of it are dropped, runs of spaces collapsed. */
function freeTextRest(rest: string, form: Form): string | undefined {
  if (rest === '') return undefined;
  const check = form.optional!.check;
  if (closersFor(rest[0]) !== undefined) {
    const sub = new Lexer(rest);
    const only = sub.next()!;
    if (sub.next() === undefined) return only.value === '' ? undefined : check(only.value);
  }
  const flag = asFlag({ value: rest.split(' ')[0], quoted: false });
  if (flag) {
    const allowed = Object.keys(form.flags ?? {});
    const guess = closest(flag.name, allowed);
    bad(
      allowed.length
        ? `${guess ? `unknown flag --${flag.name} (did you mean --${guess}?): ` : ''}${form.title} takes only ${allowed.map((f) => `--${f}`).join(', ')} before the description: everything else after the ID is the description (quote it if it starts with --)`
        : `${form.title} takes no flags: everything after the ID is the description (quote it if it starts with --)`,
      guess ? `--${guess}` : undefined,
    );
  }
  return check(rest.replace(/ +/g, ' '));
}

function unknownFlag(name: string, form: Form, allowed: string[]): string {
  const own = Object.keys(form.flags ?? {});
  const scoped = allowed.length > own.length ? ' (besides --region and --account)' : '';
  if (own.length === 0) return `unknown flag --${name}: ${form.title} takes no flags${scoped}`;
  const guess = closest(name, allowed);
  return (
    `unknown flag --${name}${guess ? ` (did you mean --${guess}?)` : ''}: ` +
    `${form.title} takes these flags: ${own.map((f) => `--${f}`).join(', ')}${scoped ? ', and --region, --account' : ''}`
  );
}

function strayWord(word: string, form: Form): string {
  const single = /^-([a-z][a-z-]*)$/i.exec(word)?.[1]?.toLowerCase();
  if (single && Object.hasOwn(form.flags ?? {}, single)) return `unexpected ${q(word)}: flags take two dashes, --${single}`;
  const more = Object.keys(form.flags ?? {}).length > 0 ? '; anything after the arguments must be a --flag' : '';
  return `unexpected ${q(word)}: ${form.title} takes ${describeArgs(form)}${more}`;
}

function describeArgs(form: Form): string {
  const names = [...(form.args ?? []), ...(form.optional ? [form.optional] : [])].map((a) => a.name);
  return names.length === 0 ? 'no arguments' : names.join(' ');
}

/** The candidate within two edits of `word`, for "did you mean". */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance && d < c.length) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
