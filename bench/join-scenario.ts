// Scenario 7: a join of 200 (type, name) pairs against auth_user_packages, written the natural way
// (binding package_name, a get per name unless the engine lists the type instead) and in the two
// forms that bind only package_type, so that each type is listed.

import type Database from 'better-sqlite3';
import { DEFAULT_CLIENT_OPTIONS } from '../dist/github/client.js';
import type { PackageType } from '../dist/stand-in/packages-data.js';
import { queryWithGhsql } from './ghsql-query.js';
import { startStandInProcess, withRequests } from './stand-in-process.js';
import { check, countRange, median } from './measure.js';
import { milliseconds, type ResultRow } from './report.js';

const LATENCY_MS = 50;
const PER_PAGE = 100;
/**
 * The join that binds package_name asks ghsql's statement memo for gets, one name at a time: it asks
 * this many of each type before it reads that type's list instead (sql/statement-memo.ts), since it
 * cannot know beforehand how many names will follow.
 */
const GETS_BEFORE_LISTING = 5;

/** The account: many containers, some npm packages; the pairs name some of each, and a few absent ones. */
const CATALOGUE: ReadonlyArray<{ type: PackageType; count: number; wanted: number; absent: number }> = [
  { type: 'container', count: 5_000, wanted: 160, absent: 5 },
  { type: 'npm', count: 300, wanted: 30, absent: 5 },
];

type Pair = [type: PackageType, name: string];

/** The stand-in names generated packages `<type>-package-<id, 6 digits>`, ids running on across types. */
function wantedPairs(): { present: Pair[]; absent: Pair[] } {
  const present: Pair[] = [];
  const absent: Pair[] = [];
  let firstId = 1;
  for (const type of CATALOGUE) {
    const step = Math.floor(type.count / type.wanted);
    for (let index = 0; index < type.wanted; index++) present.push([type.type, `${type.type}-package-${String(firstId + index * step).padStart(6, '0')}`]);
    for (let index = 0; index < type.absent; index++) absent.push([type.type, `${type.type}-package-absent-${index}`]);
    firstId += type.count;
  }
  return { present, absent };
}

/** Rows as sorted "type/name" text, to compare a result with the pairs that exist. */
const names = (rows: ReadonlyArray<readonly unknown[]>) => rows.map(([type, name]) => `${String(type)}/${String(name)}`).sort().join('\n');

const createWanted = (pairs: readonly Pair[]) => (db: Database.Database) => {
  db.exec('CREATE TABLE wanted (package_type TEXT NOT NULL, name TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO wanted VALUES (?, ?)');
  for (const pair of pairs) insert.run(pair);
};

const COLUMNS = 'p.package_type, p.name, p.version_count';
const QUERIES = [
  {
    label: '7. join of 200 (type, name) pairs ON package_type and package_name',
    sql: `SELECT ${COLUMNS} FROM wanted w JOIN auth_user_packages p ON p.package_type = w.package_type AND p.package_name = w.name`,
  },
  {
    label: '7. the same join ON package_type and name (not a parameter)',
    sql: `SELECT ${COLUMNS} FROM wanted w JOIN auth_user_packages p ON p.package_type = w.package_type AND p.name = w.name`,
  },
  {
    label: '7. the same as WHERE package_type IN (…) AND (package_type, name) IN (…)',
    sql: `SELECT ${COLUMNS} FROM auth_user_packages p
      WHERE p.package_type IN (SELECT package_type FROM wanted) AND (p.package_type, p.name) IN (SELECT package_type, name FROM wanted)`,
  },
];

export async function joinScenario(runs: number): Promise<ResultRow[]> {
  const standIn = await startStandInProcess({ catalogue: CATALOGUE, switches: { latencyMs: LATENCY_MS } });
  const { present, absent } = wantedPairs();
  const pairs = [...present, ...absent];
  const expected = names(present);
  const timings = QUERIES.map(() => ({ ms: [] as number[], requests: [] as number[] }));
  try {
    for (let run = 0; run < runs; run++) {
      for (const [index, query] of QUERIES.entries()) {
        const { value, requests } = await withRequests(standIn, () => queryWithGhsql({ api: standIn, prepare: createWanted(pairs) }, query.sql));
        check(names(value.rows) === expected, `${query.label}: ${value.rows.length} rows, not the ${present.length} pairs that exist`);
        timings[index]!.ms.push(value.ms);
        timings[index]!.requests.push(requests.length);
      }
    }
  } finally {
    await standIn.close();
  }
  return describe(timings.map(({ ms, requests }) => ({ ms: median(ms), requests })));
}

/**
 * The cheapest correct plan asks, for each type, for whichever is fewer: its list's pages or a get per
 * wanted name. Lists of one type follow each other at the client's read-ahead, types one after another.
 */
function describe(measured: Array<{ ms: number; requests: number[] }>): ResultRow[] {
  const concurrency = DEFAULT_CLIENT_OPTIONS.concurrency;
  const perType = CATALOGUE.map(({ count, wanted, absent }) => {
    const pages = Math.ceil(count / PER_PAGE);
    const gets = wanted + absent;
    return pages <= gets ? { requests: pages, roundTrips: 1 + Math.ceil((pages - 1) / concurrency) } : { requests: gets, roundTrips: gets };
  });
  const cheapestRequests = perType.reduce((sum, type) => sum + type.requests, 0);
  const idealMs = perType.reduce((sum, type) => sum + type.roundTrips, 0) * LATENCY_MS;
  const cheapest = measured[measured.length - 1]!;
  return measured.map((query, index) => {
    const isCheapest = query === cheapest;
    const bound = index === 0 ? cheapestRequests + GETS_BEFORE_LISTING * CATALOGUE.length : cheapestRequests;
    return {
      scenario: QUERIES[index]!.label,
      ghsql: milliseconds(query.ms),
      baseline: isCheapest ? `${milliseconds(idealMs)} (ideal)` : milliseconds(cheapest.ms),
      ratio: query.ms / (isCheapest ? idealMs : cheapest.ms),
      requests: countRange(query.requests),
      bar: index === 0 ? `≤ ${bound} requests (cheapest plan + ${GETS_BEFORE_LISTING} gets a type)` : `≤ ${bound} requests (cheapest plan)`,
      pass: query.requests.every((count) => count <= bound),
    };
  });
}
