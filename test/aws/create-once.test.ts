// The edge of createOnce that the sandbox, being consistent at once, cannot show: EC2 made the AMI, answered 500,
// and its listing does not show the AMI yet; the retry then meets InvalidAMIName.Duplicate. That is the first
// attempt's AMI, found by looking again — not a failure, and not a second AMI.
import { CreateImageCommand, DescribeImagesCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { Ec2Gateway } from '../../src/aws/ec2/index.js';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

const fault = (name: string, status: number) =>
  new EC2ServiceException({ name, message: name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });

const gateway = () => new Ec2Gateway({ credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, lookDelaysMs: [1, 1, 1] });
const params = { instanceId: 'i-0123456789abcdef0', name: 'web before patch', noReboot: true, tags: { 'snapbot:request': '01JREQUEST0000000000000000' } };
const mine = { ImageId: 'ami-0aaaaaaaaaaaaaaa1', Name: params.name, Tags: [{ Key: 'snapbot:request', Value: params.tags['snapbot:request'] }] };

describe('CreateImage through createOnce', () => {
  it('a 500, a listing that lags, then Duplicate: the first attempt’s AMI, looked up again', async () => {
    ec2.on(CreateImageCommand).rejectsOnce(fault('InternalError', 500)).rejectsOnce(fault('InvalidAMIName.Duplicate', 400));
    // Three looks after the 500 see nothing (eventual consistency); the look after Duplicate sees it.
    ec2.on(DescribeImagesCommand).resolvesOnce({ Images: [] }).resolvesOnce({ Images: [] }).resolvesOnce({ Images: [] }).resolves({ Images: [mine] });
    await expect(gateway().createImage('us-east-1', params)).resolves.toBe(mine.ImageId);
    expect(ec2.commandCalls(CreateImageCommand)).toHaveLength(2);
  });

  it('Duplicate for an AMI of that name that is not this request’s: the error, in words', async () => {
    ec2.on(CreateImageCommand).rejectsOnce(fault('InternalError', 500)).rejectsOnce(fault('InvalidAMIName.Duplicate', 400));
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ...mine, Tags: [{ Key: 'snapbot:request', Value: 'someone else' }] }] });
    await expect(gateway().createImage('us-east-1', params)).rejects.toThrow(/CreateImage|already|Duplicate/);
    expect(ec2.commandCalls(CreateImageCommand)).toHaveLength(2);
  });

  it('a client error is not retried and not looked for', async () => {
    ec2.on(CreateImageCommand).rejects(fault('InvalidInstanceID.NotFound', 400));
    await expect(gateway().createImage('us-east-1', params)).rejects.toThrow(/does not exist/);
    expect(ec2.commandCalls(CreateImageCommand)).toHaveLength(1);
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(0);
  });
});
