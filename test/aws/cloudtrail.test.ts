// Which resource a sharing event is about: its request parameters first, else the event's Resources.
import { describe, expect, it } from 'vitest';
import { resourceIdsOf } from '../../src/aws/cloudtrail.js';

describe('resourceIdsOf', () => {
  it('reads snapshotId or imageId from the event record', () => {
    expect(resourceIdsOf({ CloudTrailEvent: JSON.stringify({ requestParameters: { snapshotId: 'snap-0123456789abcdef0' } }) })).toEqual(['snap-0123456789abcdef0']);
    expect(resourceIdsOf({ CloudTrailEvent: JSON.stringify({ requestParameters: { imageId: 'ami-0123456789abcdef0' } }) })).toEqual(['ami-0123456789abcdef0']);
  });

  it("falls back to the event's Resources, and ignores anything that is not a snapshot or an AMI", () => {
    expect(resourceIdsOf({ CloudTrailEvent: '{not json', Resources: [{ ResourceName: 'snap-0123456789abcdef1' }, { ResourceName: 'arn:aws:iam::1:user/x' }] })).toEqual(['snap-0123456789abcdef1']);
    expect(resourceIdsOf({ CloudTrailEvent: JSON.stringify({ requestParameters: null }), Resources: [] })).toEqual([]);
  });
});
