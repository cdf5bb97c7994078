// Slack's libraries (Bolt, the Web API client) log through their own Logger interface; this sends it to pino.
import type { Logger as SlackLogger } from '@slack/logger';
import { LogLevel } from '@slack/logger';
import type { Logger } from 'pino';

export function slackLogger(log: Logger): SlackLogger {
  let level = LogLevel.INFO;
  const line = (m: unknown[]) => m.map(String).join(' ');
  return {
    // Bolt logs several debug lines per request: build them only when someone reads them.
    debug: (...m: unknown[]) => {
      if (log.isLevelEnabled('debug')) log.debug(line(m));
    },
    info: (...m: unknown[]) => log.info(line(m)),
    warn: (...m: unknown[]) => log.warn(line(m)),
    error: (...m: unknown[]) => log.error(line(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
