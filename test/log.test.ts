// Logs never carry a secret: tokens, the signing secret, AWS keys and authorization headers are redacted.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACTED_PATHS } from '../src/log.js';

describe('the logger', () => {
  it('redacts Slack tokens, the signing secret, AWS keys and authorization headers wherever they are logged', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    log.info({ config: { slack: { botToken: 'xoxb-secret-1', signingSecret: 'sign-secret-2', appToken: 'xapp-secret-3' } } }, 'config');
    log.info({ req: { headers: { authorization: 'Bearer secret-4', 'x-slack-signature': 'v0=secret-5' } } }, 'request');
    log.info({ credentials: { accessKeyId: 'AKIA', secretAccessKey: 'secret-6', sessionToken: 'secret-7' } }, 'aws');
    log.info({ token: 'xoxb-secret-8' }, 'token');
    const out = lines.join('');
    for (const secret of ['secret-1', 'secret-2', 'secret-3', 'secret-4', 'secret-5', 'secret-6', 'secret-7', 'secret-8']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });
});
