// Client-level tests: GitHubClient from dist/, in this process, against a stand-in on its own thread.
// They reach what the SQL side cannot see (an error's cause chain, remember(), readPages' bound).

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** Every file of a cache directory (the database and its -wal/-shm), as bytes; none if it was never made. */
export function cacheFiles(dir: string): Buffer[] {
  return existsSync(dir) ? readdirSync(dir).map((file) => readFileSync(join(dir, file))) : [];
}

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/**
 * Runs the built CLI once with `env` added to a clean environment whose cache lives in a temporary
 * directory; resolves with its output and the bytes of its cache files, then removes the directory.
 */
export async function runCliOnce(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string; cache: Buffer[] }> {
  const home = mkdtempSync(join(tmpdir(), 'ghsql-client-cli-'));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !['GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_API_URL'].includes(name)));
  try {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...clean, XDG_CACHE_HOME: join(home, 'cache'), XDG_STATE_HOME: join(home, 'state'), ...env } });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stdin.end();
    const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
    return { code, output, cache: cacheFiles(join(home, 'cache', 'ghsql')) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
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
