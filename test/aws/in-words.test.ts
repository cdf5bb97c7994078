// Errors shown to people carry no hosts, ports, URLs, HTML or SDK class names; the raw text is for the log.
import { describe, expect, it } from 'vitest';
import { inWords, translateAwsError } from '../../src/aws/errors.js';
import { StoreUnavailableError } from '../../src/store/errors.js';
import { asUnavailable } from '../../src/store/dynamo.js';

const INTERNALS = /\d+\.\d+\.\d+\.\d+|localhost|:\d{2,5}\b|<!doctype|<html|https?:\/\/|SyntaxError|TypeError|Deserialization/i;

describe('inWords', () => {
  it.each([
    ['connect ECONNREFUSED 127.0.0.1:8000', 'the connection was refused'],
    ['getaddrinfo ENOTFOUND dynamodb.eu-west-9.amazonaws.com', "the service's address could not be found"],
    ['Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object. <!doctype html><html>…', /not an AWS API response/],
    ['Unexpected token < in JSON at position 0', /not an AWS API response/],
    ['Request to https://ebs.us-east-1.amazonaws.com/snapshots/snap-1/blocks failed', 'Request to its endpoint failed'],
    ['TypeError: fetch failed at http://10.0.0.5:4566/', 'fetch failed at its endpoint'],
  ])('%s', (raw, words) => {
    const said = inWords(raw);
    if (typeof words === 'string') expect(said).toBe(words);
    else expect(said).toMatch(words);
    expect(said).not.toMatch(INTERNALS);
  });
});

describe('what people are told', () => {
  it('says a refused EC2 connection in words, naming neither host nor port', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { name: 'Error', code: 'ECONNREFUSED' });
    const said = translateAwsError(err, { action: 'DescribeSnapshots', region: 'us-east-1' }).message;
    expect(said).toContain('did not answer (the connection was refused)');
    expect(said).not.toMatch(INTERNALS);
  });

  it('says a Recycle Bin that answers with an HTML page is not answering as AWS does', () => {
    const err = Object.assign(new Error('Deserialization error: to see the raw response … <!doctype html><title>404</title>'), { name: 'SyntaxError', $metadata: { httpStatusCode: 404 } });
    const said = translateAwsError(err, { action: 'ListRules', region: 'us-east-1' }).message;
    expect(said).toMatch(/not an AWS API response/);
    expect(said).not.toMatch(INTERNALS);
  });

  it('says an unreachable DynamoDB without its address', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { name: 'Error', code: 'ECONNREFUSED' });
    const said = asUnavailable(err, 'snapbot');
    expect(said).toBeInstanceOf(StoreUnavailableError);
    expect(said!.message).toContain('the connection was refused');
    expect(said!.message).not.toMatch(INTERNALS);
  });
});
