// `npm start`: production with both Slack variables, the embedded sandbox with neither, an error with one.
import { ConfigError, detectMode, loadConfig } from './config.js';
import { createSnapbot } from './app.js';

async function main(): Promise<void> {
  const env = process.env;
  const mode = detectMode(env);
  if (mode === 'sandbox') {
    // The sandbox is a dev dependency's world (DynamoDB Local, the console); production never loads it.
    const { startSandbox } = await import('./sandbox/start.js');
    await startSandbox(env);
    return;
  }
  const config = loadConfig(env, 'production');
  const bot = await createSnapbot(config);
  await bot.start();
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
