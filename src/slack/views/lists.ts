// `/snapshot list` and `/ami list`: compact, newest first, with what each one costs.
import type { KnownBlock } from '@slack/types';
import { formatGiB, formatMonthlyUsd, formatUsd, imageMonthlyUsd, imageSizeGiB, snapshotMonthlyUsd, roundCents, type Prices, snapshotSizeText } from '../../core/cost.js';
import type { Snapshot } from '../../core/types.js';
import { imageSnapshotIds, isInstanceStore, nameTag } from '../../core/types.js';
import type { ImageListEntry, Message } from '../../usecases/ports.js';
import { LISTING_MAX_SHOWN, type SnapshotListing } from '../../core/listing.js';
import { LIMITS, truncateLines } from './blockkit.js';
import { ago, escapeMrkdwn, formatAge, mention } from './format.js';

const LINES_PER_SECTION = 10;
const MAX_SHOWN = LISTING_MAX_SHOWN;

export function snapshotListMessage(
  list: SnapshotListing,
  o: { now: Date; prices: Prices; region: string; volumeId?: string },
): Message {
  const scope = o.volumeId ? `of ${o.volumeId}` : 'in this account';
  if (list.count === 0) {
    return { text: `No snapshots ${scope} in ${o.region}. Create one with \`/snapshot ${o.volumeId ?? 'vol-…'}\`.` };
  }
  const lines = list.newest.map((s) => {
    const name = nameTag(s.tags);
    const state = s.state === 'completed' ? 'completed' : `${s.state} ${s.progress}%`;
    return [
      `\`${s.id}\`${name ? ` ${escapeMrkdwn(name)}` : ''}`,
      s.volumeId ?? 'no source volume',
      formatAge(s.startTime, o.now),
      snapshotSizeText(s),
      s.storageTier,
      formatMonthlyUsd(snapshotMonthlyUsd(s, o.prices)),
      state + (s.encrypted ? ' · encrypted' : ''),
      s.tags['snapbot:requested-by'] ? `by ${mention(s.tags['snapbot:requested-by'])}` : '',
      // What the person wrote when they made it ("before the kernel upgrade"); snapbot's own defaults say nothing new.
      s.description && !s.description.startsWith('snapbot:') ? `“${escapeMrkdwn(s.description.slice(0, 80))}”` : '',
    ]
      .filter(Boolean)
      .join(' · ');
  });
  const header = `*${list.count} snapshot${list.count === 1 ? '' : 's'} ${scope}* in ${o.region}, newest first — ${formatMonthlyUsd(list.monthlyUsd)} in all`;
  return {
    text: `${list.count} snapshots ${scope} in ${o.region}: ${lines.slice(0, 5).join('; ').replace(/`/g, '')}`,
    blocks: sectioned(header, lines, list.count),
  };
}

export function imageListMessage(
  entries: ImageListEntry[],
  o: { now: Date; prices: Prices; region: string; snapshotsById: ReadonlyMap<string, Snapshot> },
): Message {
  if (entries.length === 0) {
    return { text: `No AMIs owned by this account in ${o.region}. Create one with \`/ami create i-… <name>\`.` };
  }
  let total = 0;
  const lines = entries.slice(0, MAX_SHOWN).map(({ image, sharing }) => {
    const usd = imageMonthlyUsd(image, o.snapshotsById, o.prices);
    total += roundCents(usd);
    const shared = sharing?.public || image.public ? ':globe_with_meridians: public' : sharing?.accounts.length ? `shared with ${sharing.accounts.join(', ')}` : 'private';
    const launched = image.lastLaunchedTime ? `launched ${ago(image.lastLaunchedTime, o.now)}` : 'never launched';
    const snaps = imageSnapshotIds(image);
    return [
      `\`${image.id}\` ${escapeMrkdwn(image.name)}`,
      image.state === 'available' ? '' : image.state,
      `created ${ago(image.creationDate, o.now)}`,
      launched,
      shared,
      isInstanceStore(image)
        ? `instance store-backed, bundle in S3${image.imageLocation ? ` at ${escapeMrkdwn(image.imageLocation)}` : ''} (billed by S3, not priced here)`
        : snaps.length
          ? `${snaps.length} snapshot${snaps.length === 1 ? '' : 's'} (${formatGiB(imageSizeGiB(image, o.snapshotsById))})`
          : 'no snapshots',
      isInstanceStore(image) ? '' : formatMonthlyUsd(usd),
    ]
      .filter(Boolean)
      .join(' · ');
  });
  const header = `*${entries.length} AMI${entries.length === 1 ? '' : 's'}* in ${o.region}, newest first — up to ${formatUsd(total)}/mo in snapshots`;
  return {
    text: `${entries.length} AMIs in ${o.region}: ${lines.slice(0, 5).join('; ').replace(/`/g, '')}`,
    blocks: sectioned(header, lines, entries.length),
  };
}

/** Header, then lines in sections of ten (well under 3000 characters each), then a count of what was left out. */
function sectioned(header: string, lines: string[], total: number): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: header } }];
  for (let i = 0; i < lines.length; i += LINES_PER_SECTION) {
    const text = lines.slice(i, i + LINES_PER_SECTION).join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncateLines(text, LIMITS.sectionText) } });
  }
  if (total > lines.length) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${total - lines.length} more, not shown.` }] });
  }
  return blocks;
}
