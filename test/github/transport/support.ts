// The fast tier's tools: an injected fetch that answers from a script (a function, not a patched
// global, and no server), a clock whose sleep only moves its time, and a request to send down a layer.

import type { Clock } from '../../../dist/github/transport/clock.js';
import type { Destination, Fetch, HttpRequest, Service } from '../../../dist/github/transport/exchange.js';
import { targetOf } from '../../../dist/github/request-target.js';
import type { TraceEvent } from '../../../dist/github/trace.js';

export const API = 'https://api.github.com';
/** 2025-01-15 12:00:00 UTC, a whole second, so reset headers in epoch seconds line up. */
export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

/** Statuses whose Response must have no body. */
const NULL_BODY = new Set([204, 205, 304]);

/** One scripted answer: a status with headers and a body, made afresh for each call (a body reads once). */
export const reply =
  (status: number, headers: Record<string, string> = {}, body = '') =>
  (): Response =>
    new Response(NULL_BODY.has(status) ? null : body, { status, headers });

/** fetch throwing as undici does: a TypeError whose cause has the socket's code. */
export const failing = (code: string) => (): Response => {
  throw new TypeError('fetch failed', { cause: Object.assign(new Error(`${code} happened`), { code }) });
};

export interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  redirect: RequestInit['redirect'];
}

export interface ScriptedFetch {
  fetch: Fetch;
  /** What was sent, in order. */
  sent: SentRequest[];
}

/** A fetch that gives the scripted answers in order, the last one again when they run out. */
export function scriptedFetch(...replies: Array<(url: URL) => Response>): ScriptedFetch {
  const sent: SentRequest[] = [];
  const fetch: Fetch = async (url, init) => {
    sent.push({ url: url.href, method: init.method ?? 'GET', headers: { ...(init.headers as Record<string, string>) }, redirect: init.redirect });
    const next = replies[Math.min(sent.length, replies.length) - 1];
    if (!next) throw new Error('the test scripted no answer');
    return next(url);
  };
  return { fetch, sent };
}

/** Time that passes only when slept: every wait is recorded, and takes none. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public time = NOW) {}
  now = (): number => this.time;
  sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.time += ms;
  };
}

/** GitHub's API as the client describes it. */
export const API_SERVICE: Service = { name: 'GitHub', rateLimit: "GitHub's rate limit", setting: 'the API URL', maxBodyBytes: 32 * 1024 * 1024, body: 'an API answer' };
/** ghcr.io as the registry client describes it. */
export const REGISTRY_SERVICE: Service = {
  name: 'the container registry at ghcr.io',
  rateLimit: 'the rate limit of the container registry at ghcr.io',
  setting: 'the registry URL',
  option: '--registry-url',
  maxBodyBytes: 4 * 1024 * 1024,
  body: 'a manifest',
};

export const apiDestination = (origin = API): Destination => ({ origin, service: API_SERVICE, show: (url) => targetOf(url, []) });
export const registryDestination = (origin = 'https://ghcr.io'): Destination => ({ origin, service: REGISTRY_SERVICE, show: (url) => `${url.host}${targetOf(url, [])}` });

/** A request to send down a layer: a GET of /user/packages on github.com unless told otherwise. */
export function request(overrides: Partial<HttpRequest> & { path?: string } = {}): HttpRequest {
  const { path = '/user/packages', ...rest } = overrides;
  const destination = rest.destination ?? apiDestination();
  const url = rest.url ?? new URL(path, destination.origin);
  return { method: 'GET', url, target: destination.show(url), headers: {}, accept: [], destination, ...rest };
}

export function recorder(): { trace: (event: TraceEvent) => void; events: TraceEvent[] } {
  const events: TraceEvent[] = [];
  return { trace: (event) => events.push(event), events };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; status?: number };
  }
  throw new Error('expected a rejection');
}
