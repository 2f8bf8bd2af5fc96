// GitHub's primary rate limit: a budget of requests per window, reported in x-ratelimit-* headers.

export interface RateLimitSettings {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export class RateWindow {
  private remaining: number;
  private resetAtMs: number;

  /** The window begins now with `remaining` requests left; later windows start full. */
  constructor(
    private readonly settings: RateLimitSettings,
    now: number,
  ) {
    this.remaining = settings.remaining;
    this.resetAtMs = now + settings.resetSeconds * 1000;
  }

  /** Opens a new, full window first if the current one has ended. */
  isExhausted(now: number): boolean {
    if (now >= this.resetAtMs) {
      this.remaining = this.settings.limit;
      this.resetAtMs = now + this.settings.resetSeconds * 1000;
    }
    return this.remaining <= 0;
  }

  consume(): void {
    this.remaining = Math.max(0, this.remaining - 1);
  }

  /** The window as GET /rate_limit reports it. */
  status(): { limit: number; used: number; remaining: number; reset: number } {
    return {
      limit: this.settings.limit,
      used: Math.max(0, this.settings.limit - this.remaining),
      remaining: this.remaining,
      // Rounded up: a client that waits until this epoch second finds the window refilled.
      reset: Math.ceil(this.resetAtMs / 1000),
    };
  }

  headers(): Record<string, string> {
    const { limit, used, remaining, reset } = this.status();
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': 'core',
    };
  }
}
