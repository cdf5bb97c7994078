import { errors } from './errors.js';
import type { Params } from './query.js';

export type FieldValue = string | number | boolean | undefined | readonly (string | undefined)[];

/** How each filter name reads its value(s) from a resource; tag filters are handled for every kind. */
export type FilterFields<T> = Record<string, (item: T) => FieldValue>;

export interface Filter {
  name: string;
  values: string[];
}

export function readFilters(p: Params): Filter[] {
  return p.list('Filter').map((f) => ({ name: f.req('Name'), values: f.strList('Value') }));
}

/** EC2 filter values accept `*` and `?` wildcards. */
function valueMatcher(values: string[]): (v: string) => boolean {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const v of values) {
    if (/[*?]/.test(v)) {
      const re = v.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
      patterns.push(new RegExp(`^${re}$`, 's'));
    } else exact.add(v);
  }
  return (v) => exact.has(v) || patterns.some((re) => re.test(v));
}

function asStrings(v: FieldValue): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.filter((x): x is string => x !== undefined);
  return [String(v)];
}

/**
 * One predicate for all of a request's filters: every filter must match (AND), and a filter
 * matches when any of the resource's values equals any of the filter's values (OR).
 */
export function compileFilters<T extends { tags: Record<string, string> }>(
  filters: Filter[],
  fields: FilterFields<T>,
): (item: T) => boolean {
  const tests: ((item: T) => boolean)[] = filters.map((f) => {
    const matches = valueMatcher(f.values);
    if (f.name.startsWith('tag:')) {
      const key = f.name.slice(4);
      return (item) => item.tags[key] !== undefined && matches(item.tags[key]);
    }
    if (f.name === 'tag-key') return (item) => Object.keys(item.tags).some(matches);
    if (f.name === 'tag-value') return (item) => Object.values(item.tags).some(matches);
    const field = fields[f.name];
    if (!field) throw errors.invalidFilter(f.name);
    return (item) => asStrings(field(item)).some(matches);
  });
  return (item) => tests.every((t) => t(item));
}
