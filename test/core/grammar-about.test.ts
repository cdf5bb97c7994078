// A usage error names the flag or argument it is about, so a form can put it next to that field.
import { describe, expect, it } from 'vitest';
import { UsageError, type SlashCommandName } from '../../src/core/commands.js';
import { parseCommand } from '../../src/core/grammar/index.js';

function aboutOf(command: SlashCommandName, text: string): string | undefined {
  try {
    parseCommand(command, text);
  } catch (err) {
    if (err instanceof UsageError) return err.about;
    throw err;
  }
  throw new Error(`${command} ${text} parsed`);
}

describe('UsageError.about', () => {
  it.each<[SlashCommandName, string, string | undefined]>([
    ['/snapshot', 'vol-123', '<vol-id>'],
    ['/snapshot', 'vol-0123456789abcdef0 --expires-in 900d', '--expires-in'],
    ['/snapshot', 'schedule vol-0123456789abcdef0 --every 5h --keep 3', '--every'],
    ['/snapshot', 'schedule vol-0123456789abcdef0 --every 24h', '--keep'],
    ['/snapshot', 'schedule vol-0123456789abcdef0 --every 24h --at 25:00 --keep 3', '--at'],
    ['/snapshot', 'schedule --every 24h --keep 3', '<vol-id|i-id|tag:Key=Value>'],
    ['/snapshot', 'encrypt vol-0123456789abcdef0 --kms-key nope!', '--kms-key'],
    ['/restore', 'snap-0123456789abcdef0 --az us-east-1a --type st1 --iops 3000', '--iops'],
    ['/restore', 'snap-0123456789abcdef0 --az us-east-1a --attach i-0123456789abcdef0', '--attach'],
    ['/ami', 'create i-0123456789abcdef0 ""', '<name>'],
    ['/share', 'snap-0123456789abcdef0 12345', '<account-id|public>'],
    ['/snapshot', 'lsit', undefined],
  ])('%s %s → %s', (command, text, about) => {
    expect(aboutOf(command, text)).toBe(about);
  });
});

function errorOf(command: SlashCommandName, text: string): UsageError {
  try {
    parseCommand(command, text);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`${command} ${text} parsed`);
}

describe('UsageError.formUsage: the usage a person is shown', () => {
  it('is the usage of the form that was being read, not every form of the command', () => {
    const e = errorOf('/snapshot', 'copy snap-bad');
    expect(e.formUsage).toBe('/snapshot copy <snap-id> [--to-region R] [--encrypt] [--kms-key K]');
    expect(e.formUsage).not.toContain('schedule');
    expect(errorOf('/ami', 'launch').formUsage).toBe('/ami launch <ami-id> [--type t3.micro] [--subnet subnet-…] [--key name]');
  });

  it('is one line naming the forms when no form was recognised', () => {
    const e = errorOf('/snapshot', 'lsit');
    expect(e.formUsage.split('\n')).toHaveLength(1);
    expect(e.formUsage).toContain('/snapshot help');
  });

  it('suggests the flag meant, before a description too', () => {
    const e = errorOf('/snapshot', 'vol-0123456789abcdef0 --expire-in 7d');
    expect(e.problem).toContain('did you mean --expires-in?');
    expect(e.about).toBe('--expires-in');
  });
});
