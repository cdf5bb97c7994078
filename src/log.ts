// The one way snapbot makes its logger: JSON lines (pino), with secrets redacted wherever they turn up in a logged
// object — Slack tokens and the signing secret, AWS keys, authorization and signature headers.
import pino, { type Logger } from 'pino';

export const REDACTED_PATHS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'secretAccessKey',
  'sessionToken',
  'authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.authorization',
  '*.slack.botToken',
  '*.slack.signingSecret',
  '*.slack.appToken',
  'headers.authorization',
  'headers["x-slack-signature"]',
  '*.headers.authorization',
  '*.headers["x-slack-signature"]',
  '*.*.headers.authorization',
  '*.*.headers["x-slack-signature"]',
  'credentials',
  '*.credentials',
];

export function createLogger(level: string, base: Record<string, string>): Logger {
  return pino({ level, base, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
