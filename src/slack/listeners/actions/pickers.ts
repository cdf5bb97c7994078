// Options for the modals' external selects, loaded as the user types (Slack gives these 3 s too).
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { nameTag } from '../../../core/types.js';
import { modalDeps, type Deps } from '../../../usecases/context.js';
import { ACCOUNT_BLOCK } from '../../views/modals.js';
import { viewMetadata } from '../views/common.js';
import { type ModalMetadata } from '../../../usecases/ports.js';

type OptionsArgs = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;
type Option = { text: { type: 'plain_text'; text: string }; value: string };

function option(label: string, value: string): Option {
  return { text: { type: 'plain_text', text: label.slice(0, 75) }, value };
}

/** The deps a picker looks with: the account chosen in its modal (or the one it was opened in), and its region. */
function pickerDeps(base: Deps, body: OptionsArgs['body']): Deps {
  const view = (body as { view?: { private_metadata?: string; state?: { values?: Record<string, Record<string, { selected_option?: { value?: string } }>> } } }).view;
  const meta = viewMetadata<ModalMetadata>(view ?? {});
  const picked = Object.values(view?.state?.values?.[ACCOUNT_BLOCK] ?? {})[0]?.selected_option?.value;
  const d = modalDeps(base, meta, picked);
  return 'problem' in d ? base : d;
}

/** Answers within Slack's window even when EC2 is slow: an empty list beats a timed-out picker. */
async function withinDeadline<T>(work: Promise<T>, fallback: T, ms = 2500): Promise<T> {
  return Promise.race([work.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), ms))]);
}

export function volumeOptions(base: Deps) {
  return async ({ ack, options, body }: OptionsArgs): Promise<void> => {
    const deps = pickerDeps(base, body);
    const volumes = await withinDeadline(deps.ec2.searchVolumes(deps.scope.region, options.value ?? '', 100), []);
    await ack({
      options: volumes.map((v) =>
        option(`${v.id}${nameTag(v.tags) ? ` ${nameTag(v.tags)}` : ''} · ${v.sizeGiB} GiB · ${v.state}`, v.id),
      ),
    });
  };
}

export function instanceOptions(base: Deps) {
  return async ({ ack, options, body }: OptionsArgs): Promise<void> => {
    const deps = pickerDeps(base, body);
    const instances = await withinDeadline(deps.ec2.searchInstances(deps.scope.region, options.value ?? '', 100), []);
    await ack({
      options: instances.map((i) =>
        option(`${i.id}${nameTag(i.tags) ? ` ${nameTag(i.tags)}` : ''} · ${i.type} · ${i.availabilityZone} · ${i.state}`, i.id),
      ),
    });
  };
}

export function zoneOptions(base: Deps) {
  return async ({ ack, options, body }: OptionsArgs): Promise<void> => {
    const deps = pickerDeps(base, body);
    const zones = await withinDeadline(deps.ec2.availabilityZones(deps.scope.region), []);
    const q = (options.value ?? '').trim();
    await ack({ options: zones.filter((z) => z.includes(q)).map((z) => option(z, z)) });
  };
}
