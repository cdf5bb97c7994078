// Which snapshots and AMIs are shared with accounts outside the allowed ones. EC2 says it one resource at a time
// (DescribeSnapshotAttribute, DescribeImageAttribute), so each digest run checks a bounded share of them, in ID
// order from where the last run stopped, and remembers what it saw: every resource is re-checked within
// SHARE_RECHECK_DAYS daily runs, however large the account. Pure: the caller does the calls and the store.

/** Every resource is checked again within this many (daily) runs. */
export const SHARE_RECHECK_DAYS = 30;
/** A small account is checked whole every run. */
export const MIN_SHARE_CHECKS_PER_RUN = 200;

/** How many attribute calls one run of one region may make for `total` resources. */
export function shareCheckBudget(total: number): number {
  return Math.max(MIN_SHARE_CHECKS_PER_RUN, Math.ceil(total / SHARE_RECHECK_DAYS));
}

/**
 * Picks the next `budget` IDs after `cursor` in ID order, wrapping round to the start, from IDs offered one at a
 * time (a streaming scan never holds them all): it keeps at most 2 × budget of them, with what was offered with each.
 */
export class RoundRobinPicker<T> {
  private after: { id: string; item: T }[] = [];
  private wrapped: { id: string; item: T }[] = [];
  private seen = 0;

  constructor(
    private readonly cursor: string | undefined,
    private readonly budget: number,
  ) {}

  offer(id: string, item: T): void {
    this.seen++;
    const list = this.cursor === undefined || id > this.cursor ? this.after : this.wrapped;
    list.push({ id, item });
    if (list.length > 2 * this.budget) this.trim(list);
  }

  /** How many IDs were offered in all. */
  get total(): number {
    return this.seen;
  }

  /** The IDs to check this run, in order, and where the next run starts. */
  result(): { picked: { id: string; item: T }[]; nextCursor: string | undefined } {
    this.trim(this.after);
    this.trim(this.wrapped);
    const picked = [...this.after, ...this.wrapped].slice(0, this.budget);
    return { picked, nextCursor: picked.at(-1)?.id };
  }

  private trim(list: { id: string; item: T }[]): void {
    list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let w = 0;
    for (let r = 0; r < list.length; r++) if (r === 0 || list[r].id !== list[r - 1].id) list[w++] = list[r];
    list.length = Math.min(w, this.budget);
  }
}

/** The accounts a resource is shared with that are not allowed (SHARE_ALLOWED_ACCOUNTS, ACCOUNTS). */
export function outsideAccounts(accounts: readonly string[], allowed: readonly string[]): string[] {
  return accounts.filter((a) => !allowed.includes(a));
}
