// Date arithmetic, all of it in UTC (AWS's times and the contract's dates are UTC), through date-fns.
import { tz } from '@date-fns/tz';
import { addDays, addHours, format } from 'date-fns';
import { millisecondsInDay } from 'date-fns/constants';

const UTC = { in: tz('UTC') };

/** `date` plus `days` whole days (24 h each: UTC has no daylight saving). */
export function daysAfter(date: Date, days: number): Date {
  return new Date(+addDays(date, days, UTC));
}

export function hoursAfter(date: Date, hours: number): Date {
  return new Date(+addHours(date, hours, UTC));
}

/**
 * Whole days from `since` to `now`, never negative: date-fns' differenceInDays in UTC, computed from the
 * milliseconds because the digest asks it for every snapshot of an account.
 */
export function wholeDaysSince(since: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / millisecondsInDay));
}

/** Days from `since` to `now` with their fraction (for prorated charges), never negative. */
export function daysSince(since: Date, now: Date): number {
  return Math.max(0, (now.getTime() - since.getTime()) / millisecondsInDay);
}

/** More than `days` days from `since` to `now`. */
export function olderThanDays(since: Date, now: Date, days: number): boolean {
  return now.getTime() - since.getTime() > days * millisecondsInDay;
}

/** 2026-12-03: the day in UTC, as tags (`snapbot:keep-until`, `snapbot:expires`) and messages write it. */
export function isoDay(date: Date): string {
  return format(date, 'yyyy-MM-dd', UTC);
}
