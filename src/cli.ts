// What every command-line entry point (npm run digest, npm run evidence) does around its work: exit with its code;
// a configuration error is its own message (it names the variable), anything else is said in one line.
import { ConfigError } from './config.js';

export function runCli(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `${name} failed: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
