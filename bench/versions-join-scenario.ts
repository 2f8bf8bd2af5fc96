// Scenario 8: every version of 40 container packages with 300 versions each (3 pages each), through
// the join a user writes, next to a serial @octokit/request loop doing the same.

import { countVersionsWithOctokitLoop } from './page-loops.js';
import { queryWithGhsql } from './ghsql-query.js';
import { startStandInProcess, withRequests } from './stand-in-process.js';
import { check, countRange, median } from './measure.js';
import { milliseconds, type ResultRow } from './report.js';

const LATENCY_MS = 50;
const PACKAGES = 40;
const VERSIONS_EACH = 300;
const BAR = 0.4;

const JOIN = `SELECT count(*) FROM auth_user_packages p
  JOIN auth_user_package_versions v ON v.package_type = p.package_type AND v.package_name = p.name
  WHERE p.package_type = 'container'`;

export async function versionsJoinScenario(runs: number): Promise<ResultRow[]> {
  const standIn = await startStandInProcess({ catalogue: [{ type: 'container', count: PACKAGES, versionsEach: VERSIONS_EACH }], switches: { latencyMs: LATENCY_MS } });
  const ghsql = { ms: [] as number[], requests: [] as number[] };
  const loop = { ms: [] as number[], requests: [] as number[] };
  try {
    for (let run = 0; run < runs; run++) {
      const measured = await withRequests(standIn, () => queryWithGhsql({ api: standIn }, JOIN));
      check(measured.value.rows[0]![0] === PACKAGES * VERSIONS_EACH, `scenario 8: ${String(measured.value.rows[0]![0])} versions, not ${PACKAGES * VERSIONS_EACH}`);
      ghsql.ms.push(measured.value.ms);
      ghsql.requests.push(measured.requests.length);
      const started = performance.now();
      const baseline = await withRequests(standIn, () => countVersionsWithOctokitLoop(standIn, 'container'));
      loop.ms.push(performance.now() - started);
      loop.requests.push(baseline.requests.length);
      check(baseline.value === PACKAGES * VERSIONS_EACH, `scenario 8 baseline: ${baseline.value} versions`);
    }
  } finally {
    await standIn.close();
  }
  const ratio = median(ghsql.ms) / median(loop.ms);
  return [
    {
      scenario: `8. all versions of ${PACKAGES} containers × ${VERSIONS_EACH} (3 pages each) through the join, ${LATENCY_MS} ms latency, vs serial @octokit/request loop`,
      ghsql: milliseconds(median(ghsql.ms)),
      baseline: milliseconds(median(loop.ms)),
      ratio,
      requests: `${countRange(ghsql.requests)} (loop ${countRange(loop.requests)})`,
      bar: `≤ ${BAR.toFixed(2)}×`,
      pass: ratio <= BAR,
    },
  ];
}
