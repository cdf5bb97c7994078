// Bolt and the Web API client log through slackLogger into pino.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { slackLogger } from '../../src/slack/logger.js';

function capture(level: string) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, log: slackLogger(pino({ level }, sink)) };
}

describe('slackLogger', () => {
  it('does not build debug lines when debug is off', () => {
    const { lines, log } = capture('info');
    let built = 0;
    const costly = { toString: () => `built ${++built}` };
    log.debug('http request body:', costly);
    log.info('listening', costly);
    expect(built).toBe(1); // only the info line's argument was turned into text
    expect(lines.join('')).toContain('listening built 1');
  });

  it('writes debug lines when debug is on', () => {
    const { lines, log } = capture('debug');
    log.debug('http response received', 200);
    expect(lines.join('')).toContain('http response received 200');
  });
});
