import { errors } from './errors.js';

interface QueryTree {
  [segment: string]: QueryTree | string;
}

/**
 * The request's flattened form parameters (`Filter.1.Value.2=x`) as a tree, read through
 * typed accessors so handlers say what they need (`p.list('Filter')`) rather than parse keys.
 */
export class Params {
  private constructor(private readonly node: QueryTree) {}

  static parse(flat: Record<string, string>): Params {
    const root: QueryTree = {};
    for (const key in flat) {
      const segments = key.split('.');
      let node = root;
      for (let i = 0; i < segments.length - 1; i++) {
        const next = node[segments[i]];
        if (typeof next === 'object') node = next;
        else node = node[segments[i]] = {};
      }
      const last = segments[segments.length - 1];
      if (typeof node[last] !== 'object') node[last] = flat[key];
    }
    return new Params(root);
  }

  has(name: string): boolean {
    return this.node[name] !== undefined;
  }

  str(name: string): string | undefined {
    const v = this.node[name];
    return typeof v === 'string' ? v : undefined;
  }

  req(name: string): string {
    const v = this.str(name);
    if (v === undefined || v === '') throw errors.missingParameter(name);
    return v;
  }

  int(name: string): number | undefined {
    const v = this.str(name);
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw errors.invalidValue(`Value (${v}) for parameter ${lowerFirst(name)} is invalid.`);
    return n;
  }

  bool(name: string): boolean | undefined {
    const v = this.str(name);
    if (v === undefined || v === '') return undefined;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw errors.invalidValue(`Value (${v}) for parameter ${lowerFirst(name)} is invalid. Expected a boolean.`);
  }

  child(name: string): Params | undefined {
    const v = this.node[name];
    return typeof v === 'object' ? new Params(v) : undefined;
  }

  /** The members `name.1`, `name.2`, … in index order. */
  list(name: string): Params[] {
    const v = this.node[name];
    if (typeof v !== 'object') return [];
    return numberedKeys(v).flatMap((k) => {
      const item = v[k];
      return typeof item === 'object' ? [new Params(item)] : [];
    });
  }

  strList(name: string): string[] {
    const v = this.node[name];
    if (typeof v !== 'object') return [];
    return numberedKeys(v).flatMap((k) => {
      const item = v[k];
      return typeof item === 'string' ? [item] : [];
    });
  }
}

function numberedKeys(node: QueryTree): string[] {
  return Object.keys(node)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b));
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
