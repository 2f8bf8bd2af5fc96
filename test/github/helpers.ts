// Client-level tests: GitHubClient from dist/, in this process, against a stand-in on its own thread.
// They reach what the SQL side cannot see (an error's cause chain, remember(), readPages' bound).

import { createServer } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CLIENT_OPTIONS, GitHubClient, type ApiRequest, type ApiResponse, type ClientOptions } from '../../dist/github/client.js';
import { PageDemand, readPages } from '../../dist/github/pagination.js';
import { ResponseCache } from '../../dist/github/response-cache.js';
import type { TraceEvent } from '../../dist/github/trace.js';
import type { StandIn } from '../../dist/stand-in/thread.js';

export interface TestClient {
  client: GitHubClient;
  traces: TraceEvent[];
  cache?: ResponseCache;
  close(): void;
}

/** A client for `standIn` with quick retries; `cacheDir` turns the cache on. */
export function clientFor(standIn: StandIn | { url: string; token: string }, options: Partial<ClientOptions> = {}): TestClient {
  const traces: TraceEvent[] = [];
  const config: ClientOptions = { ...DEFAULT_CLIENT_OPTIONS, baseUrl: standIn.url, token: standIn.token, retryBaseMs: 5, writeIntervalMs: 0, ...options };
  const cache = config.cacheDir ? new ResponseCache(config.cacheDir, config.token ?? '') : undefined;
  const client = new GitHubClient(config, (event) => traces.push(event), cache);
  return { client, traces, cache, close: () => cache?.close() };
}

export const LIST: ApiRequest = { route: 'GET /user/packages', params: { package_type: 'container', per_page: 100 } };

/** Every page of a list, each remember()ed as the engine does once a page is validated. */
export async function readAll(client: GitHubClient, first: ApiRequest = LIST, maxPages?: number, remember = true): Promise<ApiResponse[]> {
  const pages: ApiResponse[] = [];
  const demand = new PageDemand(Number.MAX_SAFE_INTEGER);
  for await (const page of readPages(client, first, demand, new AbortController().signal, maxPages)) {
    if (remember) page.remember?.();
    pages.push(page);
  }
  return pages;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

export function syncRejection(run: () => unknown): Error & { code?: string } {
  try {
    run();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected an exception');
}

export function tempCacheDir(): string {
  return mkdtempSync(join(tmpdir(), 'ghsql-client-cache-'));
}

/** Every file of a cache directory (the database and its -wal/-shm), as bytes. */
export function cacheFiles(dir: string): Buffer[] {
  return readdirSync(dir).map((file) => readFileSync(join(dir, file)));
}

/** A local port nothing listens on: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An error and every cause below it (and inside AggregateErrors). */
export function causeChain(error: unknown, seen = new Set<unknown>()): unknown[] {
  if (typeof error !== 'object' || error === null || seen.has(error)) return [];
  seen.add(error);
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  return [error, ...causeChain(cause, seen), ...(Array.isArray(errors) ? errors.flatMap((inner) => causeChain(inner, seen)) : [])];
}
