// Scenarios 4 and 5: CPU time, rows per second and peak memory of a large list at zero latency.
// Each list runs in a probe process of its own and the stand-in in another, so that every figure
// belongs to the client alone.

import type { PackageType } from '../dist/stand-in/packages-data.js';
import { startStandInProcess } from './stand-in-process.js';
import { countRange, median } from './measure.js';
import type { ProbeResult } from './probe.js';
import { probe, type Probed } from './probe-process.js';
import { megabytes, milliseconds, perSecond, type ResultRow } from './report.js';

export interface ThroughputSizes {
  large: number;
  small: number;
}

const LARGE_TYPE: PackageType = 'container';
const SMALL_TYPE: PackageType = 'npm';
const MAX_RSS_BYTES = 200 * 1_048_576;
/**
 * "Does not grow with the row count": even the fetch loop, which keeps nothing, peaks higher on a
 * longer list (V8 collects the large page strings lazily), so ghsql may grow as much as it does,
 * plus this margin for noise, and no more.
 */
const RSS_GROWTH_MARGIN_BYTES = 16 * 1_048_576;

export async function throughputScenarios(runs: number, sizes: ThroughputSizes): Promise<ResultRow[]> {
  const standIn = await startStandInProcess({
    catalogue: [
      { type: LARGE_TYPE, count: sizes.large },
      { type: SMALL_TYPE, count: sizes.small },
    ],
    switches: { latencyMs: 0, listCap: false },
  });
  const results: Record<'ghsqlLarge' | 'fetchLarge' | 'ghsqlSmall' | 'fetchSmall', Probed[]> = {
    ghsqlLarge: [],
    fetchLarge: [],
    ghsqlSmall: [],
    fetchSmall: [],
  };
  try {
    for (let run = 0; run < runs; run++) {
      results.ghsqlLarge.push(await probe(standIn, { job: 'packages', client: 'ghsql', packageType: LARGE_TYPE }, sizes.large));
      results.fetchLarge.push(await probe(standIn, { job: 'packages', client: 'fetch', packageType: LARGE_TYPE }, sizes.large));
      results.ghsqlSmall.push(await probe(standIn, { job: 'packages', client: 'ghsql', packageType: SMALL_TYPE }, sizes.small));
      results.fetchSmall.push(await probe(standIn, { job: 'packages', client: 'fetch', packageType: SMALL_TYPE }, sizes.small));
    }
  } finally {
    await standIn.close();
  }
  const medianOf = (list: keyof typeof results, field: keyof ProbeResult) => median(results[list].map((result) => result[field]));
  const requestsOf = (list: keyof typeof results) => countRange(results[list].map((result) => result.requests.length));
  const large = sizes.large.toLocaleString('en-US');
  const small = sizes.small.toLocaleString('en-US');
  const cpu = medianOf('ghsqlLarge', 'cpuMs') / medianOf('fetchLarge', 'cpuMs');
  const rss = medianOf('ghsqlLarge', 'maxRssBytes');
  const rssGrowth = (client: 'ghsql' | 'fetch') => {
    const [from, to] = [medianOf(`${client}Small`, 'maxRssBytes'), medianOf(`${client}Large`, 'maxRssBytes')];
    return { bytes: to - from, text: `${to >= from ? '+' : '−'}${megabytes(Math.abs(to - from))} (${megabytes(from)} → ${megabytes(to)})` };
  };
  const [ghsqlGrowth, fetchGrowth] = [rssGrowth('ghsql'), rssGrowth('fetch')];
  return [
    {
      scenario: `4. CPU time, count(*) of ${large} rows at 0 ms, vs serial fetch + JSON.parse`,
      ghsql: milliseconds(medianOf('ghsqlLarge', 'cpuMs')),
      baseline: milliseconds(medianOf('fetchLarge', 'cpuMs')),
      ratio: cpu,
      requests: requestsOf('ghsqlLarge'),
      bar: '≤ 1.30×',
      pass: cpu <= 1.3,
    },
    {
      scenario: `4. rows through the virtual table (wall time), vs the fetch loop`,
      ghsql: perSecond(sizes.large, medianOf('ghsqlLarge', 'wallMs')),
      baseline: perSecond(sizes.large, medianOf('fetchLarge', 'wallMs')),
      requests: requestsOf('ghsqlLarge'),
      bar: 'reported',
    },
    {
      scenario: `5. peak RSS, ${large} rows, vs the fetch loop`,
      ghsql: megabytes(rss),
      baseline: megabytes(medianOf('fetchLarge', 'maxRssBytes')),
      ratio: rss / medianOf('fetchLarge', 'maxRssBytes'),
      requests: requestsOf('ghsqlLarge'),
      bar: '≤ 200 MB',
      pass: rss <= MAX_RSS_BYTES,
    },
    {
      scenario: `5. peak RSS growth from ${small} to ${large} rows, vs the fetch loop's`,
      ghsql: ghsqlGrowth.text,
      baseline: fetchGrowth.text,
      requests: `${requestsOf('ghsqlSmall')}, ${requestsOf('ghsqlLarge')}`,
      bar: `≤ the loop's + ${megabytes(RSS_GROWTH_MARGIN_BYTES)}`,
      pass: ghsqlGrowth.bytes <= fetchGrowth.bytes + RSS_GROWTH_MARGIN_BYTES,
    },
  ];
}
