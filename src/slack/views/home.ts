// The App Home tab: pending requests for approvers (with the same buttons as the card), and the user's own requests.
import type { View } from '@slack/types';
import { describeAction, formatTime } from '../../core/approvals.js';
import type { HomeFacts } from '../../usecases/ports.js';
import { pendingButtons } from './approvals.js';
import { escapeMrkdwn, section, type KnownBlock } from './blockkit.js';
import { mention } from './format.js';
import { postureLines } from './digest/words.js';
import { drillLine } from './drills.js';

/** Slack shows at most 100 blocks on a Home tab. */
const HOME_MAX_BLOCKS = 100;

export function homeView(facts: HomeFacts): View {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'snapbot' } }];
  if (facts.decidable) {
    blocks.push(section(`*Waiting for an approver (${facts.decidable.length})*`));
    for (const r of facts.decidable) {
      blocks.push(section(`${describeAction(r.action)} — ${mention(r.requester.userId)}${r.reason ? `: ${escapeMrkdwn(r.reason.slice(0, 200))}` : ''} · decide by ${formatTime(r.decideBy)}`));
      blocks.push({ type: 'actions', elements: pendingButtons(r, { withdraw: false }) });
    }
  }
  if (facts.error === undefined) {
    blocks.push({ type: 'divider' }, section(`*Your requests (${facts.mine.length})*`));
    for (const r of facts.mine) {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${formatTime(r.createdAt)} · ${describeAction(r.action)} · *${r.status}*${r.outcome ? ` — ${escapeMrkdwn(r.outcome.message.slice(0, 200))}` : ''}` }] });
    }
  } else {
    blocks.push(section(`:x: Requests could not be read: ${facts.error}`));
  }
  if (facts.backups) {
    const p = facts.backups.posture;
    const lines = p ? postureLines({ backupPosture: p.posture, rpoHours: p.rpoHours, drillEveryDays: p.drillEveryDays }) : [];
    blocks.push(
      { type: 'divider' },
      section(
        p && lines.length
          ? `*Backups* — ${lines.join(' · ')} (the digest of ${formatTime(p.at)})`
          : '*Backups* — the next digest measures every volume’s recovery point; `/snapshot digest` does it now.',
      ),
    );
    const now = facts.now ?? new Date();
    blocks.push(
      section(
        facts.backups.drills.length
          ? `*Latest restore drills*\n${facts.backups.drills.map((d) => drillLine(d, now)).join('\n')}`.slice(0, 2900)
          : '*Latest restore drills* — none yet: `/snapshot drill <vol-id>` proves a volume’s newest snapshot restores.',
      ),
    );
  }
  return { type: 'home', blocks: blocks.slice(0, HOME_MAX_BLOCKS) };
}
