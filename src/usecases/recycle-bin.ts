// /snapshot recycle-bin, /snapshot undelete, /ami undelete — and what every deletion card says about getting the
// resource back: which Recycle Bin rule would keep it, until when.
import { AwsActionError } from '../aws/errors.js';
import { recoverability, recoverabilityText, type Recoverability, type RecycleBinRule } from '../core/recycle-bin.js';
import type { Tags } from '../core/types.js';
import { announce, auditBestEffort, replyPrivately, within, type Deps, type Invocation } from './context.js';

/** The card's line: "recoverable from the Recycle Bin until … (rule …)", "permanent: …", or why it is unknown. */
export async function recoveryLine(deps: Deps, region: string, kind: 'snapshot' | 'image', tags: Tags): Promise<{ text: string; recovery?: Recoverability }> {
  try {
    // A card is never held up long by the Recycle Bin: after a few seconds it says it could not tell.
    const rules = await within(deps.rbin.rules(region), 5_000, 'the Recycle Bin');
    const recovery = recoverability(kind, tags, rules, deps.now());
    const text = recoverabilityText(recovery);
    return { text: `${text[0].toUpperCase()}${text.slice(1)}.`, recovery };
  } catch (err) {
    return { text: `Whether the Recycle Bin would keep it is unknown: ${(err as Error).message}` };
  }
}

export async function showRecycleBin(deps: Deps, inv: Invocation): Promise<void> {
  const region = deps.scope.region;
  try {
    const [items, rules] = await Promise.all([deps.ec2.recycleBin(region), deps.rbin.rules(region).catch((err: Error) => err)]);
    await replyPrivately(deps, inv, deps.views.recycleBinMessage(items, rules instanceof Error ? { error: rules.message } : { rules: rules as RecycleBinRule[] }, { region, now: deps.now() }));
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not read the Recycle Bin in ${region}: ${(err as Error).message}` });
  }
}

/** Restores a deleted snapshot (snap-…) or deregistered AMI (ami-…) from the Recycle Bin. */
export async function undelete(deps: Deps, inv: Invocation, resourceId: string): Promise<void> {
  const region = deps.scope.region;
  const isSnapshot = resourceId.startsWith('snap-');
  const what = isSnapshot ? 'snapshot' : 'AMI';
  try {
    const item = (await deps.ec2.recycleBin(region, resourceId)).find((i) => i.id === resourceId);
    if (!item) {
      const exists = await (isSnapshot ? deps.ec2.getSnapshot(region, resourceId) : deps.ec2.getImage(region, resourceId)).then(
        () => true,
        () => false,
      );
      const text = exists
        ? `:information_source: ${resourceId} is not deleted: it is still in ${region}, so there is nothing to restore.`
        : `:x: ${resourceId} is not in the Recycle Bin in ${region}: it was deleted for good (no rule kept it, or its retention ran out), or it never existed here. \`/snapshot recycle-bin\` lists what can be restored.`;
      return replyPrivately(deps, inv, { text });
    }
    if (isSnapshot) await deps.ec2.restoreSnapshotFromRecycleBin(region, resourceId);
    else await deps.ec2.restoreImageFromRecycleBin(region, resourceId);
    await auditBestEffort(deps, { resourceId, actor: inv.userId, event: 'undeleted', detail: `restored from the Recycle Bin in ${region}` });
    await announce(deps, inv, {
      text: `:recycle: <@${inv.userId}> restored ${what} ${resourceId}${item.name ? ` (“${item.name}”)` : ''} from the Recycle Bin in ${region}. It is back as it was${isSnapshot ? ' (its tags, sharing and tier are kept)' : ', with its snapshots'}.`,
    });
  } catch (err) {
    const gone = err instanceof AwsActionError && err.kind === 'not-found';
    await replyPrivately(deps, inv, {
      text: gone
        ? `:x: ${resourceId} has just left the Recycle Bin (restored by someone else, or its retention ran out).`
        : `:x: Could not restore ${resourceId}: ${(err as Error).message}`,
    });
  }
}
