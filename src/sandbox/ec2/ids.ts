import { randomBytes } from 'node:crypto';

export type IdPrefix = 'vol' | 'snap' | 'ami' | 'i' | 'lt' | 'r' | 'subnet';

const ID_SHAPE = /^(vol|snap|ami|i|lt|r|subnet)-([0-9a-f]{8}|[0-9a-f]{17})$/;

export function randomId(prefix: IdPrefix): string {
  // Real IDs are 17 lowercase hex digits; 9 random bytes give 18, trimmed to 17.
  return `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

export function isWellFormedId(id: string, prefix: IdPrefix): boolean {
  const m = ID_SHAPE.exec(id);
  return m !== null && m[1] === prefix;
}

export function idPrefixOf(id: string): IdPrefix | undefined {
  return ID_SHAPE.exec(id)?.[1] as IdPrefix | undefined;
}

/** A bijective 32-bit mix, so counter-derived IDs never collide within one stream. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/**
 * Deterministic IDs for seeded accounts: the same seed always yields the same account, and
 * generating 100k of them costs no crypto calls.
 */
export function sequentialId(prefix: IdPrefix, stream: number, n: number): string {
  const a = mix32((n ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0);
  const b = mix32((a + stream * 0x85ebca6b + n) >>> 0);
  return `${prefix}-0${hex8(a)}${hex8(b)}`;
}

/** FNV-1a over a name: stable IDs for the demo account that docs and tests can quote. */
export function namedId(prefix: IdPrefix, name: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `${prefix}-0${hex8(mix32(h1))}${hex8(mix32(h2 ^ h1))}`;
}
