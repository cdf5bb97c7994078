// What identifies a Slack delivery for the replay guard: retries and replays match, distinct requests never do.
import { describe, expect, it } from 'vitest';
import { deliveryKey } from '../../src/slack/listeners/replays.js';

const click = (value: string, trigger = 't-1') => ({ type: 'block_actions', trigger_id: trigger, actions: [{ action_id: 'digest_snooze', value, action_ts: '1.0' }] });

describe('deliveryKey', () => {
  it('is the same for a byte-identical replay and different for two clicks, even sharing a trigger', () => {
    expect(deliveryKey(click('a'))).toBe(deliveryKey(click('a')));
    expect(deliveryKey(click('a'))).not.toBe(deliveryKey(click('b')));
  });

  it("keys commands by trigger_id and events by event_id; Approve/Reject and option loads are not claimed", () => {
    expect(deliveryKey({ command: '/snapshot', trigger_id: 'T1', text: 'list' })).toBe('command:T1');
    expect(deliveryKey({ type: 'event_callback', event_id: 'Ev1' })).toBe('event:Ev1');
    expect(deliveryKey({ type: 'block_actions', trigger_id: 't', actions: [{ action_id: 'approval_approve' }] })).toBeUndefined();
    expect(deliveryKey({ type: 'block_suggestion', value: 'vol' })).toBeUndefined();
  });
});
