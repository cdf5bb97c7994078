// What use cases need from the outside world besides AWS and the store, as interfaces: the outbox that carries
// messages to people (src/slack/out.ts implements it for Slack) and the views that turn facts into words
// (src/slack/views/index.ts). Use cases return facts and outcomes and hand them to these; they never import slack/.
import type { DrillRecord, EvidenceRow } from '../core/drills.js';
import type { BatchItem } from '../core/cleanup.js';
import type { PostureSnapshot } from '../core/backups.js';
import type { QuotaOutlook } from '../core/quota.js';
import type { KnownBlock, View } from '@slack/types';
import type { ApprovalRequest, AuditEntry } from '../core/approvals.js';
import type { CostReport } from '../core/lineage.js';
import type { SavingsSummary } from '../core/savings.js';
import type { ScheduleSpec } from '../core/commands.js';
import type { Prices } from '../core/cost.js';
import type { DigestAccountRef, DigestSummary } from '../core/digest.js';
import type { SnapshotListing } from '../core/listing.js';
import type { SlackPerson } from '../core/policy.js';
import type { LifecyclePolicy } from '../core/schedules.js';
import type { Finding } from '../core/staleness/types.js';
import type { Image, Instance, RecycleBinItem, Sharing, Snapshot, Volume } from '../core/types.js';
import type { RecycleBinRule } from '../core/recycle-bin.js';

// ---------------------------------------------------------------------------------------------------------------
// Messages and where they go.

export interface Message {
  /** The notification/fallback text; always set, Slack shows it where blocks cannot be shown. */
  text: string;
  blocks?: KnownBlock[];
}

/** A message that always has blocks (the digest, a reminder). */
export type BlockMessage = Message & { blocks: KnownBlock[] };

export interface PostedMessage {
  channel: string;
  ts: string;
}

/** Where a private answer goes: the user in the channel they typed in, with Slack's response_url as a fallback. */
export interface PrivateTarget {
  channel: string;
  user: string;
  responseUrl?: string;
}

/** The workspace (and Enterprise Grid organization) the bot is installed in, from auth.test. */
export interface Installation {
  teamId?: string;
  enterpriseId?: string;
}

/** Everything snapbot says to people goes through one outbox (Slack's Web API in production). */
export interface Outbox {
  post(channel: string, msg: Message, threadTs?: string): Promise<PostedMessage>;
  update(at: PostedMessage, msg: Message): Promise<void>;
  /** Updates and never throws: a message that cannot be edited must not stop the work behind it. */
  tryUpdate(at: PostedMessage, msg: Message): Promise<void>;
  /** A message only the user sees. */
  private(to: PrivateTarget, msg: Message): Promise<void>;
  /** Replaces the message a button was clicked on; never throws. */
  replaceOriginal(responseUrl: string, msg: Message): Promise<void>;
  /** A private answer through a command's response_url (so it can be replaced later); false when Slack refused it. */
  respond(responseUrl: string, msg: Message): Promise<boolean>;
  dm(userId: string, msg: Message): Promise<PostedMessage>;
  openModal(triggerId: string, view: View): Promise<string | undefined>;
  updateModal(viewId: string, view: View): Promise<void>;
  publishHome(userId: string, view: View): Promise<void>;
  /** A CSV in a channel or thread: its text, or a file written out beforehand (a list too long to hold). */
  uploadCsv(channel: string, threadTs: string | undefined, filename: string, content: string | { path: string }, title: string): Promise<void>;
  /** Renders a chart (a Vega-Lite spec the views made) to PNG and uploads it, with its alt text. */
  uploadChart(channel: string, threadTs: string | undefined, filename: string, chart: { spec: unknown; title: string; altText: string }): Promise<void>;
  userGroupMembers(groupId: string, now?: number): Promise<string[]>;
  user(userId: string, now?: number): Promise<SlackPerson>;
  installation(): Promise<Installation | undefined>;
}

// ---------------------------------------------------------------------------------------------------------------
// The facts views are made of.

export interface ProgressItem {
  id: string;
  /** e.g. "of vol-… (web-1-root)" */
  label?: string;
  state: string;
  percent?: number;
  sizeGiB?: number;
  error?: string;
}

export type ProgressPhase = 'starting' | 'running' | 'done' | 'failed' | 'timeout';

export interface ProgressView {
  /** "Snapshot of vol-0abc… (web-1-root)" */
  title: string;
  requesterId: string;
  phase: ProgressPhase;
  items: ProgressItem[];
  elapsedMs?: number;
  /** Set when phase is failed: the AWS reason in plain words. */
  failure?: string;
  /** What to do next: "Restore it with `/restore snap-…`". */
  hint?: string;
  region?: string;
}

export type EncryptStep = 'snapshot' | 'volume' | 'detach' | 'attach' | 'done' | 'failed';

/** What the message shows: the steps so far, and what is left behind when one failed. */
export interface EncryptView {
  volumeId: string;
  volumeName?: string;
  requesterId: string;
  where: string;
  replace: boolean;
  step: EncryptStep;
  snapshotId?: string;
  snapshotPercent?: number;
  newVolumeId?: string;
  newVolumeState?: string;
  instanceId?: string;
  device?: string;
  /** The snapshot was taken from a volume in use on a running instance. */
  crashConsistent?: boolean;
  kmsKeyId?: string;
  elapsedMs?: number;
  /** Set when failed: the step it failed at, the reason, and what it left behind (or put back). */
  failedAt?: EncryptStep;
  failure?: string;
  leftBehind?: string;
  /** Done: what to do next. */
  next?: string;
}

/** What the buttons of the swap question carry: the command, and the one person who may answer. */
export interface ReplaceChoice {
  /** Unique per question: answering twice starts one encryption. */
  q: string;
  u: string;
  c: string;
  v: string;
  k?: string;
  /** Where it acts, when not snapbot's own account in the home region. */
  w?: { account?: string; region?: string };
}

/** What the two buttons carry: the command as asked, and the one person who may answer. */
export interface RebootChoice {
  /** Unique per question: answering twice (a double click, a retry) creates one AMI. */
  q: string;
  u: string;
  c: string;
  i: string;
  n: string;
  d?: string;
  /** Where it acts, when not snapbot's own account in the home region. */
  w?: { account?: string; region?: string };
}

/** What the modal needs to remember between open and submit: where it was opened, and where it acts. */
export interface ModalMetadata {
  channelId: string;
  responseUrl?: string;
  resourceId?: string;
  /** The managed account it acts in (absent: snapbot's own), unless its account picker says otherwise. */
  account?: string;
  /** The region it acts in, when not the home region. */
  region?: string;
}

/** A choice of the account picker: a managed account's ID, or OWN_ACCOUNT. */
export interface AccountChoice {
  value: string;
  label: string;
}

export interface ImageListEntry {
  image: Image;
  sharing?: Sharing;
}

export interface DigestMessageOptions {
  title?: string;
  /** At most this many items are shown (fewer when Slack's 50-block limit says so). */
  maxItems?: number;
  /** The name of the CSV attached alongside, mentioned when not everything fits. */
  csvFileName?: string;
  /** What the account-share check covered this run, per region. */
  shareChecks?: readonly {
    calls: number;
    total: number;
    fullCycleDays: number;
    /** CloudTrail's part of the check: from when the event history was read, and what it found; or why not. */
    trail?: { since: string; events: number; resources: number } | { error: string };
  }[];
  /** The accounts covered: with more than one, each gets its line and every item says which it is in. */
  accounts?: readonly DigestAccountRef[];
  /** What snapbot has freed so far (the savings ledger), for the header line. */
  savings?: SavingsSummary;
  /** Each region's snapshots against its quota, and when it fills, for the header line. */
  quotas?: readonly QuotaOutlook[];
}

export interface DigestCsvLines {
  header: string;
  finding(f: Finding): string;
  backups(b: Partial<Pick<DigestSummary, 'backupGaps' | 'archiveSuggestions'>>): string[];
}

export interface ReminderOptions {
  maxItems?: number;
  /** How many of the owner's there are in all and what they add up to, where `findings` are only the largest. */
  total?: { count: number; monthlyUsd: number };
}

/** A new backup schedule, as its confirmation shows it. */
export interface ScheduleCreated {
  policyId: string;
  name: string;
  spec: ScheduleSpec;
  label: string;
  requesterId: string;
  policy?: LifecyclePolicy;
  now: Date;
  region: string;
  tagProblem?: string;
  /** The sandbox: its lifecycle policies run sped up, so the first run comes within minutes, not at the hour. */
  spedUp?: boolean;
}

/** The App Home tab's facts: what the user may decide, and what they asked for. */
export interface HomeFacts {
  /** Undefined when the user is not an approver (they are not shown what to decide). */
  decidable?: ApprovalRequest[];
  mine: ApprovalRequest[];
  /** Why the requests could not be read, when they could not. */
  error?: string;
  /** The last digest's recovery-point posture and the latest drills (absent: they could not be read). */
  backups?: { posture?: PostureSnapshot; drills: DrillRecord[] };
  now?: Date;
}

// ---------------------------------------------------------------------------------------------------------------
// The views use cases hand their facts to (slack/views/index.ts builds this object; tests may replace it).

/** A restore drill as its message shows it, step by step (usecases/drill.ts). */
export interface DrillView {
  phase: 'restoring' | 'verifying' | 'cleaning' | 'done';
  /** Who ran it: a Slack user ID, or 'schedule'. */
  by: string;
  where: string;
  volumeId?: string;
  volumeName?: string;
  snapshotId: string;
  snapshotAgeHours: number;
  availabilityZone: string;
  /** The region's first available zone was taken: the snapshot's volume is gone. */
  zoneChosen?: boolean;
  drillVolumeId?: string;
  secondsToAvailable?: number;
  sampleBlocks: number;
  /** The drill as it ended. */
  record?: DrillRecord;
  /** The drill volume could not be deleted: what is left, and what happens to it. */
  leftBehind?: string;
}

/** One account-region's day in the digest's history: the chart's trend, the quota's growth. */
export interface DigestHistoryDay {
  /** YYYY-MM-DD. */
  day: string;
  snapshots: number;
  cleanupUsd: number;
}

/** A batch cleanup as the message in its card's thread follows it. */
export interface BatchProgressView {
  what: string;
  where: string;
  requestId: string;
  total: number;
  done: number;
  skipped: { why: string; n: number }[];
  failed: { why: string; n: number }[];
  /** What the deleted ones freed, USD a month (the rounded figures summed). */
  usdFreed: number;
  measured: boolean;
  finished: boolean;
  /** Carried on after a restart. */
  resumed: boolean;
}

/** A drill volume the sweep deleted. */
export interface SweptDrillVolume {
  volumeId: string;
  where: string;
  drillId: string;
  createdAt?: Date;
}

export interface Views {
  digestChart(summary: DigestSummary, history: readonly DigestHistoryDay[]): { spec: unknown; title: string; altText: string };
  batchProgressMessage(v: BatchProgressView): Message;
  batchCsv(items: readonly BatchItem[], where: { account?: string; region: string }): string;
  drillMessage(v: DrillView): Message;
  drillsMessage(drills: readonly DrillRecord[], o: { volumeId?: string; now: Date; shown: number }): Message;
  drillSummaryMessage(drills: readonly DrillRecord[], o: { now: Date }): Message;
  drillSweepMessage(removed: readonly SweptDrillVolume[]): Message;
  evidenceCsv(rows: readonly EvidenceRow[]): string;
  approvalRequestMessage(r: ApprovalRequest): Message;
  requestedNotice(r: ApprovalRequest, approvalChannel: string, ttlHours: number): Message;
  requesterNotice(r: ApprovalRequest): Message;
  auditMessage(resourceId: string, entries: readonly AuditEntry[]): Message;
  homeView(facts: HomeFacts): View;
  costMessage(r: CostReport): Message;
  savingsMessage(s: SavingsSummary): Message;
  digestMessage(summary: DigestSummary, options?: DigestMessageOptions): BlockMessage;
  reminderMessage(ownerUserId: string, findings: readonly Finding[], options?: ReminderOptions): BlockMessage;
  /** The digest's CSV a line at a time (no line end), for writing it out as the scan goes. */
  digestCsvLines: DigestCsvLines;
  encryptMessage(v: EncryptView): Message;
  replaceQuestion(choice: ReplaceChoice, o: { instanceId: string; instanceName?: string; device: string }): Message;
  imageListMessage(entries: ImageListEntry[], o: { now: Date; prices: Prices; region: string; snapshotsById: ReadonlyMap<string, Snapshot> }): Message;
  snapshotListMessage(list: SnapshotListing, o: { now: Date; prices: Prices; region: string; volumeId?: string }): Message;
  rebootQuestion(choice: RebootChoice, instanceName?: string): Message;
  progressMessage(v: ProgressView): Message;
  recycleBinMessage(items: RecycleBinItem[], rules: { rules: RecycleBinRule[] } | { error: string }, o: { region: string; now: Date }): Message;
  restoreModal(meta: ModalMetadata & { resourceId: string }, snapshot?: Snapshot): View;
  scopedModal(view: View, where: { account?: string; region?: string; choices: readonly AccountChoice[] }): View;
  scheduleCreatedMessage(p: ScheduleCreated): Message;
  schedulesMessage(policies: LifecyclePolicy[], o: { volumes: Volume[]; instances: Instance[]; region: string; now: Date }): Message;
}
