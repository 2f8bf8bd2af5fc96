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

  headers(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.settings.limit),
      'x-ratelimit-remaining': String(this.remaining),
      // Rounded up: a client that waits until this epoch second finds the window refilled.
      'x-ratelimit-reset': String(Math.ceil(this.resetAtMs / 1000)),
      'x-ratelimit-used': String(Math.max(0, this.settings.limit - this.remaining)),
      'x-ratelimit-resource': 'core',
    };
  }
}
