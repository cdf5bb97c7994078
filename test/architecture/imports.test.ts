// The layers as the README draws them, read from the code: every relative import under src/, by file.
// core decides and imports nothing of the project; aws and store never speak Slack; use cases return facts and
// outcomes and never import slack/; jobs are scheduled entry points that nothing below them imports; and no file
// reaches itself again through its imports.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = 'src';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return filesUnder(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** file → the project files it imports (type-only imports included: they are arrows a reader follows too). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of filesUnder(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'));
    graph.set(file, targets);
  }
  return graph;
}

/** The layer a file belongs to: the first folder under src/ (slack's listeners and views apart), else the file. */
function layerOf(file: string): string {
  const parts = relative(SRC, file).split(/[\\/]/);
  if (parts[0] === 'slack' && parts.length > 2) return `slack/${parts[1]}`;
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.ts$/, '');
}

/** What each layer may import besides itself. Anything not listed is forbidden. */
const MAY_IMPORT: Record<string, string[]> = {
  core: [],
  aws: ['core'],
  store: ['core', 'aws'],
  usecases: ['core', 'aws', 'store', 'config', 'metrics'],
  'slack/views': ['core', 'usecases', 'config'],
  slack: ['core', 'usecases'],
  'slack/listeners': ['core', 'usecases', 'slack/views', 'slack', 'config', 'metrics'],
  jobs: ['core', 'usecases', 'store', 'aws', 'config'],
};

const graph = importGraph();

describe('the import graph of src/', () => {
  it('reads the whole tree (a test that found no files would pass for nothing)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get(join(SRC, 'app.ts'))?.length).toBeGreaterThan(5);
  });

  it('keeps every arrow pointing down the layers', () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(file);
      const allowed = MAY_IMPORT[from];
      if (!allowed) continue; // the composition root (app, main, config, metrics, runtime, CLIs) and the sandbox
      for (const target of targets) {
        const to = layerOf(target);
        if (to !== from && !allowed.includes(to)) wrong.push(`${file} → ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps production code away from the sandbox', () => {
    const wrong = [...graph].flatMap(([file, targets]) =>
      layerOf(file) === 'sandbox' ? [] : targets.filter((t) => layerOf(t) === 'sandbox').map((t) => `${file} → ${t}`),
    );
    expect(wrong).toEqual([]);
  });

  it('has no circle of imports', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      path.push(file);
      for (const next of graph.get(file) ?? []) {
        if (!graph.has(next)) continue;
        if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      path.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('keeps files small enough to read (sandbox aside)', () => {
    const long = [...graph.keys()]
      .filter((f) => layerOf(f) !== 'sandbox')
      .map((f) => ({ f, lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 550)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    expect(long).toEqual([]);
  });
});
