// `npm start`: production with both Slack variables, the embedded sandbox with neither, an error with one.
import { ConfigError, detectMode, loadConfig } from './config.js';
import { createSnapbot } from './app.js';
import { collectStartupGarbage, tuneRuntime } from './runtime.js';

async function main(): Promise<void> {
  tuneRuntime();
  const env = process.env;
  const mode = detectMode(env);
  if (mode === 'sandbox') {
    // The sandbox lives on dev dependencies (DynamoDB Local, the console); the production build leaves it out, so
    // it is loaded by name at run time and never compiled into or imported by production code.
    const entry = './sandbox/start.js';
    let sandbox: { startSandbox(env: NodeJS.ProcessEnv): Promise<unknown> };
    try {
      sandbox = (await import(entry)) as typeof sandbox;
    } catch (err) {
      throw new ConfigError([
        `SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set, and sandbox mode is not available in this build (${(err as Error).message}). Set both variables to run against a real workspace.`,
      ]);
    }
    await sandbox.startSandbox(env);
    return;
  }
  const config = loadConfig(env, 'production');
  const bot = await createSnapbot(config);
  await bot.start();
  collectStartupGarbage();
  bot.deps.log.info(
    `snapbot listening on :${bot.port} (POST /slack/events, GET /healthz); region ${config.awsRegion}, digest regions ${config.regions.join(', ')}`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    bot.deps.log.info(`${signal}: finishing in-flight work, then stopping`);
    bot.stop().then(
      () => process.exit(0),
      (err) => {
        bot.deps.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`snapbot failed to start: ${(err as Error).stack ?? err}\n`);
  }
  process.exit(1);
});
