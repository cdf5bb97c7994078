// The command table: one spec per slash command.
import type { SlashCommandName } from '../../commands.js';
import type { CommandSpec } from '../spec.js';
import { AMI } from './ami.js';
import { RESTORE } from './restore.js';
import { SHARE } from './share.js';
import { SNAPSHOT } from './snapshot.js';

export const SPECS: Record<SlashCommandName, CommandSpec> = {
  '/snapshot': SNAPSHOT,
  '/restore': RESTORE,
  '/ami': AMI,
  '/share': SHARE,
};
