// A token bucket refilled continuously: `capacity` tokens at most, `capacity` more every `periodMs`. The progress
// tracker's Slack budget (chat.update a minute) and the sandbox EC2's throttling (requests a second) both use it.
export class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(
    private readonly capacity: number,
    private readonly periodMs: number,
  ) {
    this.tokens = capacity;
  }

  /** Takes a token when there is one. */
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / this.periodMs) * this.capacity);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
