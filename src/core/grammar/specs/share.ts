// /share: its forms, flags and how they become a Command.
import { type Command } from '../../commands.js';
import { bad } from '../lexer.js';
import { resourceId, reason, shareTarget, toShareTarget, reasonFlag, shareableId } from '../checks.js';
import { opt, str, type CommandSpec, type FlagValues } from '../spec.js';

export const SHARE: CommandSpec = {
  bare: {
    title: '/share',
    lines: [
      ['/share <snap-id|ami-id>', 'open a form to share or stop sharing'],
      [
        '/share <snap-id|ami-id> <account-id|public> [--reason "…"]',
        'share; allowed accounts at once, other accounts and public after approval',
      ],
      ['/share <snap-id|ami-id> --revoke <account-id|public>', 'stop sharing, at once'],
    ],
    args: [{ name: '<snap-id|ami-id>', check: shareableId }],
    optional: { name: '<account-id|public>', check: shareTarget },
    flags: { revoke: { value: '<account-id|public>', check: shareTarget }, reason: reasonFlag },
    build: share,
  },
  bareTakes: () => true,
  subs: {},
};

function share([resourceId]: string[], target: string | undefined, f: FlagValues): Command {
  const revoke = str(f, 'revoke');
  const why = str(f, 'reason');
  if (target !== undefined && revoke !== undefined) {
    bad(`give the account either after the ID (to share) or after --revoke (to stop sharing), not both`);
  }
  if (revoke !== undefined) {
    if (why !== undefined) bad('--reason goes with sharing; --revoke takes effect at once and needs none', '--reason');
    return { kind: 'share.revoke', resourceId, target: toShareTarget(revoke) };
  }
  if (target !== undefined) return { kind: 'share.add', resourceId, target: toShareTarget(target), ...opt('reason', why) };
  if (why !== undefined) bad(`who should ${resourceId} be shared with? Put a 12-digit account ID or public before --reason`, '<account-id|public>');
  return { kind: 'share.modal', resourceId };
}
