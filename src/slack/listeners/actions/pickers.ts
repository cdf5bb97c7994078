// Options for the modals' external selects, loaded as the user types (Slack gives these 3 s too).
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { nameTag } from '../../../core/types.js';
import type { Deps } from '../../../usecases/context.js';

type OptionsArgs = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;
type Option = { text: { type: 'plain_text'; text: string }; value: string };

function option(label: string, value: string): Option {
  return { text: { type: 'plain_text', text: label.slice(0, 75) }, value };
}

/** Answers within Slack's window even when EC2 is slow: an empty list beats a timed-out picker. */
async function withinDeadline<T>(work: Promise<T>, fallback: T, ms = 2500): Promise<T> {
  return Promise.race([work.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), ms))]);
}

export function volumeOptions(deps: Deps) {
  return async ({ ack, options }: OptionsArgs): Promise<void> => {
    const volumes = await withinDeadline(deps.ec2.searchVolumes(deps.scope.region, options.value ?? '', 100), []);
    await ack({
      options: volumes.map((v) =>
        option(`${v.id}${nameTag(v.tags) ? ` ${nameTag(v.tags)}` : ''} · ${v.sizeGiB} GiB · ${v.state}`, v.id),
      ),
    });
  };
}

export function instanceOptions(deps: Deps) {
  return async ({ ack, options }: OptionsArgs): Promise<void> => {
    const instances = await withinDeadline(deps.ec2.searchInstances(deps.scope.region, options.value ?? '', 100), []);
    await ack({
      options: instances.map((i) =>
        option(`${i.id}${nameTag(i.tags) ? ` ${nameTag(i.tags)}` : ''} · ${i.type} · ${i.availabilityZone} · ${i.state}`, i.id),
      ),
    });
  };
}

export function zoneOptions(deps: Deps) {
  return async ({ ack, options }: OptionsArgs): Promise<void> => {
    const zones = await withinDeadline(deps.ec2.availabilityZones(deps.scope.region), []);
    const q = (options.value ?? '').trim();
    await ack({ options: zones.filter((z) => z.includes(q)).map((z) => option(z, z)) });
  };
}
