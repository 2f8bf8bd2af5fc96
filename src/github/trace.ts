import { plural } from '../text.js';

/** One HTTP exchange, as `--trace` shows it. */
export interface TraceEvent {
  method: string;
  /** Path and query as sent, after URL normalisation (never the token). */
  target: string;
  /** 200 for an answer served from the cache; 0 when no answer came (a broken connection, a timeout). */
  status: number;
  ms: number;
  /** network: a full answer; revalidated: a 304 served the cached body; cache: no request at all. */
  source: 'network' | 'revalidated' | 'cache';
  /** Rate-limit requests left, when GitHub said. */
  rateLimitRemaining?: number;
  /** When the rate-limit window ends (epoch ms), when GitHub said. */
  rateLimitReset?: number;
  /** Set when this attempt failed and will be retried or waited out. */
  retry?: string;
  /** When the answer was a rate limit that ghsql waits out: the time (epoch ms) it will try again. */
  waitUntil?: number;
}

export interface TraceSummary {
  requests: number;
  notModified: number;
  cacheHits: number;
  rateLimitRemaining?: number;
}

export function summarize(events: readonly TraceEvent[]): TraceSummary {
  let rateLimitRemaining: number | undefined;
  for (const event of events) if (event.rateLimitRemaining !== undefined) rateLimitRemaining = event.rateLimitRemaining;
  return {
    requests: events.filter((event) => event.source !== 'cache').length,
    notModified: events.filter((event) => event.source === 'revalidated').length,
    cacheHits: events.filter((event) => event.source === 'cache').length,
    rateLimitRemaining,
  };
}

export function formatTraceEvent(event: TraceEvent): string {
  const how = event.source === 'cache' ? ' (cache hit)' : event.source === 'revalidated' ? ' (304, cached body)' : '';
  const retry = event.retry ? ` → ${event.retry}` : '';
  return `${event.method} ${event.target} ${event.status} ${event.ms} ms${how}${retry}`;
}

export function formatTraceSummary(summary: TraceSummary): string {
  const left = summary.rateLimitRemaining === undefined ? '' : `, rate limit left ${summary.rateLimitRemaining}`;
  return `${plural(summary.requests, 'request')}, ${summary.notModified} not modified (304), ${plural(summary.cacheHits, 'cache hit')}${left}`;
}
