import { errors } from './errors.js';

export interface Stored {
  /** Insertion sequence; pagination tokens point at it, so pages stay stable while items are added or deleted. */
  seq: number;
  id: string;
}

/**
 * Resources of one kind in one region: O(1) lookup by ID and an insertion-ordered array that
 * a page can resume from by binary search, so listing 100k items page by page stays O(n).
 */
export class Collection<T extends Stored> {
  private readonly byId = new Map<string, T>();
  private order: (T | undefined)[] = [];
  // Kept beside `order` so a deleted item's slot still knows its seq and binary search stays exact.
  private seqs: number[] = [];
  private holes = 0;

  constructor(readonly kind: string) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  add(item: T): T {
    const last = this.order[this.order.length - 1];
    if (last && last.seq >= item.seq) throw new Error(`sandbox: ${this.kind} ${item.id} added out of sequence`);
    this.byId.set(item.id, item);
    this.order.push(item);
    this.seqs.push(item.seq);
    return item;
  }

  delete(id: string): T | undefined {
    const item = this.byId.get(id);
    if (!item) return undefined;
    this.byId.delete(id);
    this.order[this.indexOfSeq(item.seq)] = undefined;
    this.holes++;
    if (this.holes > 1024 && this.holes * 2 > this.order.length) this.compact();
    return item;
  }

  *values(): IterableIterator<T> {
    for (const item of this.order) if (item) yield item;
  }

  /** Items with seq ≥ `seq`, in order. */
  *from(seq: number): IterableIterator<T> {
    for (let i = this.indexOfSeq(seq); i < this.order.length; i++) {
      const item = this.order[i];
      if (item) yield item;
    }
  }

  /**
   * One page of the items that `match`, as EC2 pages: everything when `max` is absent, otherwise
   * up to `max` items and a token when more remain.
   */
  page(match: (item: T) => boolean, max: number | undefined, token: string | undefined): { items: T[]; nextToken?: string } {
    const start = token === undefined || token === '' ? 0 : this.decodeToken(token);
    const items: T[] = [];
    for (const item of this.from(start)) {
      if (!match(item)) continue;
      if (max !== undefined && items.length === max) return { items, nextToken: this.encodeToken(item.seq) };
      items.push(item);
    }
    return { items };
  }

  private encodeToken(seq: number): string {
    return Buffer.from(`${this.kind}:${seq}`).toString('base64url');
  }

  private decodeToken(token: string): number {
    const [kind, seq] = Buffer.from(token, 'base64url').toString('utf8').split(':');
    const n = Number(seq);
    if (kind !== this.kind || !Number.isInteger(n) || n < 0) throw errors.invalidToken(token);
    return n;
  }

  /** First slot whose seq is ≥ `seq`. */
  private indexOfSeq(seq: number): number {
    const seqs = this.seqs;
    let lo = 0;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seqs[mid] < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compact(): void {
    this.order = this.order.filter((item): item is T => item !== undefined);
    this.seqs = this.order.map((item) => item!.seq);
    this.holes = 0;
  }
}
