/**
 * Per-user rate limit: at most `perMinute` requests in any sliding 60-second window.
 * `perMinute = 0` switches it off. Memory: one timestamp per request in the window per user.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Count one request by `key` if allowed.
   * @returns 0 when allowed, else the milliseconds until the next request would be allowed.
   */
  take(key: string): number {
    if (this.perMinute <= 0) return 0;
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= this.perMinute) {
      this.hits.set(key, recent);
      return recent[0] + 60_000 - now;
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.sweep(now);
    return 0;
  }

  private sweep(now: number): void {
    for (const [key, times] of this.hits) if (now - times[times.length - 1] >= 60_000) this.hits.delete(key);
  }
}
