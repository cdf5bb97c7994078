// Temporary snapshots (`/snapshot vol-… --expires-in Nd`): the day they expire, counted in TZ, and when the
// scheduled job should ask for their deletion. Pure: the clock and the time zone are passed in.

/** The calendar day (YYYY-MM-DD) it is at `now` in `timeZone`. */
export function dayIn(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The snapbot:expires value for a snapshot made now that should live `days` days: today in TZ plus that many days. */
export function expiryDay(now: Date, days: number, timeZone: string): string {
  const [y, m, d] = dayIn(now, timeZone).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** A well-formed snapbot:expires value that is today or earlier (in TZ): its deletion should be requested. */
export function isExpired(tag: string | undefined, now: Date, timeZone: string): boolean {
  return tag !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(tag) && tag <= dayIn(now, timeZone);
}

/** A request that expired undecided is asked again this long after it was made. */
export const EXPIRY_ASK_AGAIN_DAYS = 7;
