// ULIDs: 48-bit millisecond time then 80 random bits, Crockford base32. Sortable by creation time, and
// monotonic within this process so two IDs made in the same millisecond keep their order.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = -1;
let lastRandom: number[] = [];

export function newId(at: Date = new Date()): string {
  const time = at.getTime();
  let random: number[];
  if (time === lastTime) {
    // Same millisecond: count up, so order follows calls.
    random = increment(lastRandom);
  } else {
    random = [...randomBytes(16)].map((b) => b % 32);
  }
  lastTime = time;
  lastRandom = random;
  return encodeTime(time) + random.map((d) => ALPHABET[d]).join('');
}

function encodeTime(time: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[time % 32] + out;
    time = Math.floor(time / 32);
  }
  return out;
}

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] < 31) {
      next[i]++;
      return next;
    }
    next[i] = 0;
  }
  return next;
}
