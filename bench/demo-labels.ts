// The demo account, labelled by hand from the contract's rules ("Digest and reminders" in ../shared/CONTRACT.md,
// STALE_AFTER_DAYS=90, KEEP_PER_VOLUME=1): for every snapshot and AMI the account owns, whether a careful engineer
// would delete it, and why. Written before the digest's rules were changed, so a rule change can fail against it.
// `npm run bench` reports the digest's precision and recall against these; test/usecases/digest-labels.test.ts
// holds the digest to 1.0 on both.
import { DEMO } from '../src/sandbox/ec2/index.js';

export interface Label {
  region: string;
  kind: 'snapshot' | 'image';
  /** Should the digest offer it for deletion? */
  delete: boolean;
  /** Should it be in the Exposure section (public, or shared outside the allowed accounts)? */
  exposure?: boolean;
  why: string;
}

const S = DEMO.snapshots;
const I = DEMO.images;
const E = DEMO.eu;
const us = (kind: Label['kind'], del: boolean, why: string, exposure?: boolean): Label => ({ region: DEMO.region, kind, delete: del, why, ...(exposure ? { exposure } : {}) });
const eu = (kind: Label['kind'], del: boolean, why: string): Label => ({ region: DEMO.otherRegion, kind, delete: del, why });

export const DEMO_LABELS: Readonly<Record<string, Label>> = {
  [S.webRootDaily]: us('snapshot', false, '3 days old: younger than 90 days'),
  [S.webRootBeforeUpgrade]: us('snapshot', false, '45 days old'),
  [S.webDataQuarterly]: us('snapshot', true, '120 days old and superseded: a newer completed snapshot of web-1-data exists'),
  [S.webDataPartnerExport]: us('snapshot', false, '60 days old, and the newest of its live volume'),
  [S.dbBackupRecent]: us('snapshot', false, 'managed by AWS Backup'),
  [S.dbBackupOld]: us('snapshot', false, 'managed by AWS Backup'),
  [S.dbLogsDlm]: us('snapshot', false, 'managed by Data Lifecycle Manager'),
  [S.dbRootInProgress]: us('snapshot', false, 'still pending'),
  [S.legacyFinal]: us('snapshot', true, '420 days old, its volume is gone'),
  [S.reportsArchive]: us('snapshot', true, '760 days old, its volume is gone'),
  [S.publicDataset]: us('snapshot', false, 'the only snapshot of a live volume; public, so an exposure, not a deletion', true),
  [S.requestedViaSnapbot]: us('snapshot', false, '5 days old'),
  [S.buildRootStale]: us('snapshot', false, '130 days old, but the newest (only) backup of a live volume'),
  [S.webGoldenRoot]: us('snapshot', false, 'used by an AMI'),
  [S.legacyAppRoot]: us('snapshot', false, 'used by an AMI'),
  [S.publicBaseRoot]: us('snapshot', false, 'used by an AMI'),
  [S.oldBatchRoot]: us('snapshot', false, 'used by a disabled, deprecated AMI'),
  [S.oldBatchData]: us('snapshot', false, 'used by a disabled, deprecated AMI'),
  [S.launchTemplateData]: us('snapshot', false, 'used by a launch template'),
  [I.webGolden]: us('image', false, 'launched yesterday; instances and a launch template use it'),
  [I.legacyApp]: us('image', false, 'not launched for 200 days, but a stopped instance runs from it'),
  [I.publicBase]: us('image', false, 'launched 10 days ago; public, so an exposure', true),
  [I.oldBatch]: us('image', true, 'disabled, not launched for 400 days, no instance or launch template uses it'),
  [E.weeklySnapshot]: eu('snapshot', false, '15 days old'),
  // Copies belong to their source's volume (the contract since 2026-12-03): the only copy in eu-west-1 of a snapshot
  // of web-1-root, a live volume, is that volume's off-region backup.
  [E.copiedSnapshot]: eu('snapshot', false, "a copy, 200 days old, of web-1-root's snapshot: the live volume's only copy in eu-west-1, its off-region backup"),
  [E.imageRoot]: eu('snapshot', false, 'used by an AMI'),
  [E.image]: eu('image', false, 'an instance runs from it'),
};

/** Precision and recall of what a digest offered for deletion, against the labels. */
export function scoreDeletions(offered: Iterable<string>): { precision: number; recall: number; falsePositives: string[]; missed: string[] } {
  const offeredSet = new Set(offered);
  const shouldGo = Object.entries(DEMO_LABELS).filter(([, l]) => l.delete).map(([id]) => id);
  const truePositives = [...offeredSet].filter((id) => DEMO_LABELS[id]?.delete);
  return {
    precision: offeredSet.size === 0 ? 1 : truePositives.length / offeredSet.size,
    recall: shouldGo.length === 0 ? 1 : truePositives.length / shouldGo.length,
    falsePositives: [...offeredSet].filter((id) => !DEMO_LABELS[id]?.delete),
    missed: shouldGo.filter((id) => !offeredSet.has(id)),
  };
}
