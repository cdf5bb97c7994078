// The sandbox workspace the console plays: who can be "logged in", which channels exist, and what the page says
// about itself. IDs are Slack-shaped so the bot cannot tell them from a real workspace's.
import { DEMO, SANDBOX_ACCOUNT_ID } from '../ec2/index.js';

export interface SandboxUser {
  id: string;
  name: string;
  /** Shown after the name in the user switcher: "requester", "approver", … */
  role: string;
  /** What users.info says beyond a full member's defaults (a guest: is_restricted). */
  slack?: Record<string, unknown>;
}

export interface SandboxChannel {
  id: string;
  name: string;
  topic: string;
}

export interface Workspace {
  name: string;
  bot: { id: string; name: string };
  users: SandboxUser[];
  channels: SandboxChannel[];
}

export const SANDBOX_USERS = {
  requester: { id: DEMO.requesterUserId, name: 'Dana', role: 'operator, requester' },
  approver: { id: 'U0SANDBOXAPP', name: 'Alex', role: 'operator, approver' },
  developer: { id: 'U0SANDBOXDEV', name: 'Sam', role: 'developer, not an operator' },
  guest: { id: 'U0SANDBOXGST', name: 'Gus', role: 'guest', slack: { is_restricted: true } },
} as const satisfies Record<string, SandboxUser>;

export const SANDBOX_CHANNELS = {
  // The demo seed tags one snapshot as requested in C0SANDBOX01, so that is #devops.
  devops: { id: 'C0SANDBOX01', name: 'devops', topic: 'Where the team asks snapbot for snapshots, restores and AMIs' },
  approvals: { id: 'C0SANDBOX02', name: 'approvals', topic: 'Approval requests: public shares, deletions, deregistrations' },
  cost: { id: 'C0SANDBOX03', name: 'cost', topic: 'The daily cost-cleanup digest' },
  // CHANNEL_ACCOUNTS maps it to the dev account: commands here act there without --account.
  devTeam: { id: 'C0SANDBOX04', name: 'dev-team', topic: "The dev team's channel: commands act in the dev account (222233334444)" },
} as const satisfies Record<string, SandboxChannel>;

export const SANDBOX_WORKSPACE: Workspace = {
  name: 'Acme Cloud (sandbox)',
  bot: { id: 'U0SNAPBOT', name: 'snapbot' },
  users: Object.values(SANDBOX_USERS),
  channels: Object.values(SANDBOX_CHANNELS),
};

/** The slash commands the app's manifest declares, with the usage Slack shows while typing. */
export const SLASH_COMMANDS: { command: string; usage: string; description: string }[] = [
  { command: '/snapshot', usage: '[vol-id [description] | instance i-id | list | copy snap-id | delete snap-id | digest | audit id | help]', description: 'Create, list, copy and clean up EBS snapshots' },
  { command: '/restore', usage: 'snap-id [--az zone --type gp3 --size GiB --attach i-id --device /dev/sdf]', description: 'Restore a snapshot to a new volume' },
  { command: '/ami', usage: '[create i-id name | from-snapshot snap-id name | list | launch ami-id | copy ami-id | deregister ami-id]', description: 'Create, list, launch and clean up AMIs' },
  { command: '/share', usage: 'snap-id|ami-id [account-id|public] [--reason "…"] | --revoke account-id|public', description: 'Share a snapshot or AMI with an account, or publicly' },
];

export interface Hint {
  label: string;
  command: string;
  /** Where the hint is best tried, e.g. "as Dana in #devops". */
  where?: string;
}

/** Things to try, with the demo account's real IDs, so a newcomer never has to look an ID up. */
export function demoHints(): Hint[] {
  const S = DEMO.snapshots;
  return [
    { label: "Snapshot web-1's root volume and watch it complete", command: `/snapshot ${DEMO.volumes.webRoot} before the kernel upgrade` },
    { label: 'Pick a volume in a modal', command: '/snapshot' },
    { label: 'List snapshots, newest first, with cost', command: '/snapshot list' },
    { label: 'Ask to make a snapshot public (needs an approver)', command: `/share ${S.webRootBeforeUpgrade} public --reason "share with the vendor's support team"` },
    { label: 'Ask to delete a 420-day-old snapshot', command: `/snapshot delete ${S.legacyFinal} --reason "legacy app is gone"` },
    { label: 'Post the cost-cleanup digest', command: '/snapshot digest' },
    { label: 'Restore a snapshot (modal)', command: `/restore ${S.webRootDaily}` },
    { label: 'List AMIs', command: '/ami list' },
    { label: 'Make an AMI of a running instance: snapbot asks before rebooting it', command: `/ami create ${DEMO.instances.web1} web-1-golden` },
    { label: 'Try a change as Sam (not an operator) or Gus (a guest): refused, and told why', command: `/snapshot ${DEMO.volumes.webRoot}`, where: 'as Sam or Gus' },
    { label: 'History of a snapshot', command: `/snapshot audit ${S.webRootBeforeUpgrade}` },
    { label: 'Back up web-2 every day, keep a week (a schedule runs every 4 minutes here)', command: `/snapshot schedule ${DEMO.volumes.web2Root} --every 24h --keep 7 --name web-2-daily` },
    { label: 'Backup schedules, snapbot\'s and others\'', command: '/snapshot schedules' },
    { label: 'A snapshot that asks for its own deletion in a week', command: `/snapshot ${DEMO.volumes.webData} --expires-in 7d before the schema migration` },
    { label: 'What the Recycle Bin holds (deletions here can be undone for 7 days)', command: '/snapshot recycle-bin' },
    { label: 'Lock a snapshot against deletion for 30 days', command: `/snapshot lock ${S.webDataQuarterly} --days 30` },
    { label: 'What deleting a snapshot really frees (its blocks no other snapshot uses)', command: `/snapshot cost ${S.webRootBeforeUpgrade}` },
    { label: 'Prove a backup restores: a drill restores the newest snapshot, reads blocks back, deletes the volume', command: `/snapshot drill ${DEMO.volumes.webData}` },
    { label: "A drill that fails: web-1-root's daily snapshot has a damaged block", command: `/snapshot drill ${DEMO.volumes.webRoot}` },
    { label: 'The latest drills, and the evidence CSV for an auditor', command: '/snapshot drills' },
    { label: 'Ask once to delete every old superseded snapshot (one approval for the batch)', command: '/snapshot cleanup superseded --reason "quarterly cleanup"' },
    { label: "Encrypt web-1's data volume (a snapshot, then a volume created encrypted from it)", command: `/snapshot encrypt ${DEMO.volumes.webData}` },
    { label: 'Encrypt the stopped build runner\'s root and swap it in (asks first)', command: `/snapshot encrypt ${DEMO.volumes.buildRoot} --replace` },
    { label: 'Snapshot a volume in the dev account (snapbot assumes its role there)', command: `/snapshot ${DEMO.devAccount.volumes.apiData} --account dev before the load test` },
    { label: "In #dev-team, commands act in the dev account by themselves", command: '/snapshot list', where: 'in #dev-team' },
  ];
}

export interface Banner {
  title: string;
  simulated: string[];
  realWorkspace: string;
}

export function sandboxBanner(where: { ec2: string; dynamodb: string; slackApi: string; bot: string }): Banner {
  return {
    title: 'SANDBOX MODE',
    simulated: [
      `EC2: the sandbox EC2 service (demo account ${SANDBOX_ACCOUNT_ID}, us-east-1 and eu-west-1) at ${where.ec2}, with Data Lifecycle Manager, Recycle Bin, the EBS direct APIs, Service Quotas, CloudTrail, Auto Scaling and STS on the same endpoint`,
      `DynamoDB: DynamoDB Local, in memory, at ${where.dynamodb}`,
      `Slack: this console plays Slack; the Web API stand-in is at ${where.slackApi}, the bot listens at ${where.bot}/slack/events`,
    ],
    realWorkspace:
      'To use a real workspace: create a Slack app from manifest.yml, install it, then set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (plus APPROVAL_CHANNEL and APPROVERS) and run npm start again.',
  };
}
