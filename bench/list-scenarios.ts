// Scenarios 1–3: a full list against the serial loop, LIMIT 10, and the response cache.

import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CLIENT_OPTIONS } from '../dist/github/client.js';
import type { PackageType } from '../dist/stand-in/packages-data.js';
import type { LoggedRequest } from '../dist/stand-in/server.js';
import type { StandIn } from '../dist/stand-in/thread.js';
import { countSql, queryWithGhsql, type GhsqlSetup } from './ghsql-query.js';
import { check, countRange, median, sleep, timed } from './measure.js';
import { countWithOctokitLoop, firstTenWithOctokit } from './page-loops.js';
import { milliseconds, type ResultRow } from './report.js';
import { startStandInProcess, withRequests } from './stand-in-process.js';

const PACKAGE_TYPE: PackageType = 'container';
const PACKAGES = 5_000;
const PAGES = PACKAGES / 100;
const LATENCY_MS = 50;
/** Long enough for a warm repeat to fall inside it, short enough to wait out between runs. */
const CACHE_TTL_SECONDS = 2;
const MAX_REVALIDATION_RATIO = 0.5;
/** Issue 22's bars: a full list within 1.15× the ideal at concurrency 4, 1.2× at 16; LIMIT 10 within 2× one request. */
const MAX_IDEAL_RATIO = 1.15;
const WIDE_CONCURRENCY = 16;
const MAX_WIDE_IDEAL_RATIO = 1.2;
const MAX_LIMIT_TEN_RATIO = 2;

/**
 * A fresh registration starts its worker thread on the first query. Runs marked "worker already
 * started" first list another (empty) type, so that their time is the list's own work.
 */
const startWorker = (db: Database.Database) => void db.prepare(countSql('npm')).all();
const listRequests = (requests: LoggedRequest[]) => requests.filter((request) => request.query['package_type'] === PACKAGE_TYPE);

export async function listScenarios(runs: number): Promise<ResultRow[]> {
  const standIn = await startStandInProcess({ catalogue: [{ type: PACKAGE_TYPE, count: PACKAGES }], switches: {} });
  try {
    return [...(await fullList(standIn, runs)), await limitTen(standIn, runs), ...(await cachedRepeats(standIn, runs))];
  } finally {
    await standIn.close();
  }
}

/** A timed count(*) of the list and the list requests it made. */
interface Counted {
  ms: number;
  requests: LoggedRequest[];
}

async function countedQuery(standIn: StandIn, setup: GhsqlSetup): Promise<Counted> {
  const { value, requests } = await withRequests(standIn, () => queryWithGhsql(setup, countSql(PACKAGE_TYPE)));
  check(value.rows[0]?.[0] === PACKAGES, `ghsql counted ${String(value.rows[0]?.[0])} packages, not ${PACKAGES}`);
  return { ms: value.ms, requests: listRequests(requests) };
}

/** Scenario 1: SELECT count(*) over 50 pages against a serial @octokit/request loop. */
async function fullList(standIn: StandIn, runs: number): Promise<ResultRow[]> {
  await standIn.configure({ latencyMs: LATENCY_MS });
  const ghsqlMs: number[] = [];
  const startedMs: number[] = [];
  const wideMs: number[] = [];
  const loopMs: number[] = [];
  const requests: number[] = [];
  for (let run = 0; run < runs; run++) {
    const ghsql = await countedQuery(standIn, { api: standIn });
    ghsqlMs.push(ghsql.ms);
    requests.push(ghsql.requests.length);
    startedMs.push((await countedQuery(standIn, { api: standIn, prepare: startWorker })).ms);
    wideMs.push((await countedQuery(standIn, { api: standIn, concurrency: WIDE_CONCURRENCY })).ms);
    const loop = await timed(() => countWithOctokitLoop(standIn, PACKAGE_TYPE));
    check(loop.value === PACKAGES, `the octokit loop counted ${loop.value} packages`);
    loopMs.push(loop.ms);
  }
  const concurrency = DEFAULT_CLIENT_OPTIONS.concurrency;
  const idealRoundTrips = 1 + Math.ceil((PAGES - 1) / concurrency);
  const idealMs = idealRoundTrips * LATENCY_MS;
  const wideRoundTrips = 1 + Math.ceil((PAGES - 1) / WIDE_CONCURRENCY);
  const wideIdealMs = wideRoundTrips * LATENCY_MS;
  const wide = median(wideMs);
  const ghsql = median(ghsqlMs);
  const started = median(startedMs);
  const loop = median(loopMs);
  const what = `1. count(*) of 5,000 (${PAGES} pages), ${LATENCY_MS} ms latency`;
  const ideal = `ideal at concurrency ${concurrency} (${idealRoundTrips} round trips)`;
  return [
    {
      scenario: `${what}, vs serial @octokit/request loop`,
      ghsql: milliseconds(ghsql),
      baseline: milliseconds(loop),
      ratio: ghsql / loop,
      requests: countRange(requests),
      bar: '≤ 0.35×',
      pass: ghsql / loop <= 0.35,
    },
    {
      scenario: `${what}, vs ${ideal}`,
      ghsql: milliseconds(ghsql),
      baseline: milliseconds(idealMs),
      ratio: ghsql / idealMs,
      requests: countRange(requests),
      bar: `≤ ${MAX_IDEAL_RATIO.toFixed(2)}×`,
      pass: ghsql / idealMs <= MAX_IDEAL_RATIO,
    },
    {
      scenario: `1. the same with ghsql's worker already started, vs ${ideal}`,
      ghsql: milliseconds(started),
      baseline: milliseconds(idealMs),
      ratio: started / idealMs,
      requests: countRange(requests),
      bar: 'reported',
    },
    {
      scenario: `1b. the same at --concurrency ${WIDE_CONCURRENCY}, vs ideal (${wideRoundTrips} round trips)`,
      ghsql: milliseconds(wide),
      baseline: milliseconds(wideIdealMs),
      ratio: wide / wideIdealMs,
      requests: countRange(requests),
      bar: `≤ ${MAX_WIDE_IDEAL_RATIO.toFixed(2)}×`,
      pass: wide / wideIdealMs <= MAX_WIDE_IDEAL_RATIO,
    },
  ];
}

/** Scenario 2: LIMIT 10 reads the first page only. */
async function limitTen(standIn: StandIn, runs: number): Promise<ResultRow> {
  await standIn.configure({ latencyMs: LATENCY_MS });
  const sql = `SELECT name FROM auth_user_packages WHERE package_type = '${PACKAGE_TYPE}' LIMIT 10`;
  const ghsqlMs: number[] = [];
  const loopMs: number[] = [];
  const requests: number[] = [];
  for (let run = 0; run < runs; run++) {
    const ghsql = await withRequests(standIn, () => queryWithGhsql({ api: standIn }, sql), 3 * LATENCY_MS);
    check(ghsql.value.rows.length === 10, `LIMIT 10 returned ${ghsql.value.rows.length} rows`);
    ghsqlMs.push(ghsql.value.ms);
    requests.push(ghsql.requests.length);
    loopMs.push((await timed(() => firstTenWithOctokit(standIn, PACKAGE_TYPE))).ms);
  }
  const ghsql = median(ghsqlMs);
  const loop = median(loopMs);
  return {
    scenario: `2. LIMIT 10 on the same list, vs one @octokit/request call`,
    ghsql: milliseconds(ghsql),
    baseline: milliseconds(loop),
    ratio: ghsql / loop,
    requests: countRange(requests),
    bar: `1 request, ≤ ${MAX_LIMIT_TEN_RATIO.toFixed(2)}×`,
    pass: requests.every((count) => count === 1) && ghsql / loop <= MAX_LIMIT_TEN_RATIO,
  };
}

/**
 * Scenario 3: a repeat within the TTL makes no request; after it, every page is revalidated (304).
 * That repeat is compared with a cold run at 0 ms latency, where the local work shows: once on
 * fresh registrations (the bar), once with the worker already started (what the cache itself saves).
 */
async function cachedRepeats(standIn: StandIn, runs: number): Promise<ResultRow[]> {
  const cold: Counted[] = [];
  const warm: Counted[] = [];
  const fresh = { cold: [] as Counted[], revalidated: [] as Counted[] };
  const started = { cold: [] as Counted[], revalidated: [] as Counted[] };
  const cacheDirs: string[] = [];
  const cachedSetup = (prepare?: GhsqlSetup['prepare']): GhsqlSetup => {
    const dir = mkdtempSync(join(tmpdir(), 'ghsql-bench-cache-'));
    cacheDirs.push(dir);
    return { api: standIn, cache: { dir, ttlSeconds: CACHE_TTL_SECONDS }, prepare };
  };
  try {
    for (let run = 0; run < runs; run++) {
      await standIn.configure({ latencyMs: LATENCY_MS });
      const atLatency = cachedSetup();
      cold.push(await countedQuery(standIn, atLatency));
      warm.push(await countedQuery(standIn, atLatency));

      await standIn.configure({ latencyMs: 0 });
      const freshSetup = cachedSetup();
      const startedSetup = cachedSetup(startWorker);
      fresh.cold.push(await countedQuery(standIn, freshSetup));
      started.cold.push(await countedQuery(standIn, startedSetup));
      await sleep(CACHE_TTL_SECONDS * 1000 + 100);
      fresh.revalidated.push(await countedQuery(standIn, freshSetup));
      started.revalidated.push(await countedQuery(standIn, startedSetup));
    }
  } finally {
    for (const dir of cacheDirs) rmSync(dir, { recursive: true, force: true });
  }
  const medianMs = (counted: Counted[]) => median(counted.map((run) => run.ms));
  /** Only the fresh-registration pair is held to the bar; the other explains it. */
  const revalidationRow = (scenario: string, pair: typeof fresh, judged: boolean): ResultRow => {
    const ratio = medianMs(pair.revalidated) / medianMs(pair.cold);
    const allNotModified = pair.revalidated.every(({ requests }) => requests.length === PAGES && requests.every((request) => request.conditional && request.status === 304));
    return {
      scenario,
      ghsql: milliseconds(medianMs(pair.revalidated)),
      baseline: milliseconds(medianMs(pair.cold)),
      ratio,
      requests: `${countRange(pair.revalidated.map(({ requests }) => requests.filter((request) => request.status === 304).length))} × 304 of ${countRange(pair.revalidated.map(({ requests }) => requests.length))}`,
      bar: judged ? `all 304, ≤ ${MAX_REVALIDATION_RATIO.toFixed(2)}×` : 'reported',
      pass: judged ? allNotModified && ratio <= MAX_REVALIDATION_RATIO : undefined,
    };
  };
  return [
    {
      scenario: `3. repeat of 1 within the cache TTL, vs the cold run with cache`,
      ghsql: milliseconds(medianMs(warm)),
      baseline: milliseconds(medianMs(cold)),
      ratio: medianMs(warm) / medianMs(cold),
      requests: countRange(warm.map(({ requests }) => requests.length)),
      bar: '0 requests',
      pass: warm.every(({ requests }) => requests.length === 0),
    },
    revalidationRow(`3. repeat after the TTL, 0 ms latency, vs the cold run at 0 ms`, fresh, true),
    revalidationRow(`3. the same with ghsql's worker already started`, started, false),
  ];
}
