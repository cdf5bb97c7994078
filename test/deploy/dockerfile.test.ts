// `docker build` cannot run here, so the Dockerfile is read: Node 22 in both stages, production dependencies only,
// compiled JavaScript, a non-root user, a health check on /healthz, SIGTERM to stop.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROCESS_START } from '../../src/runtime.js';

const dockerfile = readFileSync('Dockerfile', 'utf8');
const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)\s+AS\s+(\S+)/gm)].map((m) => ({ image: m[1], name: m[2] }));

describe('Dockerfile', () => {
  it('builds and runs on Node 22 LTS, in two stages', () => {
    expect(stages).toEqual([
      { image: 'node:22-bookworm-slim', name: 'build' },
      { image: 'node:22-bookworm-slim', name: 'runtime' },
    ]);
  });

  it('runs the compiled bot with production dependencies only, as a non-root user', () => {
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^CMD \["node", (?:"--[\w=-]+", )*"dist\/main\.js"\]$/m);
    expect(runtime).not.toMatch(/COPY src|tsx/);
  });

  it("sets the process's memory settings the runtime names, in the running stage", () => {
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    const env = new Map(
      [...runtime.matchAll(/^ENV (.+)$/gm)].flatMap((m) => m[1].split(/\s+/).map((kv) => kv.split('=') as [string, string])).map(([k, ...v]) => [k, v.join('=')]),
    );
    for (const [name, value] of Object.entries(PROCESS_START.env)) expect(env.get(name), name).toBe(value);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)![1]) as string[];
    expect(cmd).toEqual(['node', ...PROCESS_START.nodeArgs, 'dist/main.js']);
  });

  it('checks its health on /healthz and stops on SIGTERM', () => {
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    expect(dockerfile).toMatch(/^STOPSIGNAL SIGTERM$/m);
  });

  it('still lets package.json run on the Node of this machine', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('>=20');
  });
});
