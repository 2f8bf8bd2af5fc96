// Scenario 9: an organization's size. Every version of its container packages (100 × 1,000 by
// default) at GitHub's latency, through the join a user writes, next to the serial @octokit/request
// loop the peers run; then the image graph of some of them (one manifest GET per version) at the
// registry's latency. Each side runs in a probe process of its own (CPU, peak RSS), interleaved.

import { generatedPackages } from '../dist/stand-in/packages-data.js';
import type { RegistryRequest } from '../dist/stand-in/registry.js';
import { check, countRange, median } from './measure.js';
import { probe, type Probed } from './probe-process.js';
import type { ProbeResult } from './probe.js';
import { megabytes, milliseconds, type ResultRow } from './report.js';
import { startStandInProcess } from './stand-in-process.js';

export interface OrganizationSizes {
  packages: number;
  versionsEach: number;
  /** How many of the packages' image graphs to read. */
  graphPackages: number;
  /** ghsql's --concurrency for the graph: manifests in flight at once. */
  graphConcurrency: number;
}

const API_LATENCY_MS = 150;
const REGISTRY_LATENCY_MS = 60;
const PER_PAGE = 100;
const MAX_VERSIONS_RATIO = 0.3;
const MAX_RSS_BYTES = 300 * 1_048_576;
/** GitHub's primary limit for a classic token, and the secondary limit's points a minute (a read is 1). */
const REQUESTS_PER_HOUR = 5_000;
const POINTS_PER_MINUTE = 900;

const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
const percent = (value: number) => `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;

export async function organizationScenario(runs: number, sizes: OrganizationSizes): Promise<ResultRow[]> {
  const { packages, versionsEach, graphPackages, graphConcurrency } = sizes;
  check(graphPackages <= packages, `scenario 9: --graph-packages ${graphPackages} is more than the organization's ${packages} packages`);
  const versions = packages * versionsEach;
  const standIn = await startStandInProcess({
    catalogue: [],
    organizationCatalogue: [{ type: 'container', count: packages, versionsEach }],
    switches: { latencyMs: API_LATENCY_MS, registryLatencyMs: REGISTRY_LATENCY_MS },
  });
  // The stand-in child numbers the organization's packages from 1, as generatedPackages() does here.
  const packageNames = generatedPackages(graphPackages, 'container').map((pkg) => pkg.name);
  const graphVersions = graphPackages * versionsEach;
  const ghsql: Probed[] = [];
  const loop: Probed[] = [];
  const graph: Array<Probed & { registry: RegistryRequest[] }> = [];
  try {
    for (let run = 0; run < runs; run++) {
      ghsql.push(await probe(standIn, { job: 'organization versions', client: 'ghsql' }, versions));
      loop.push(await probe(standIn, { job: 'organization versions', client: 'octokit' }, versions));
      const graphRun = await probe(standIn, { job: 'organization graph', client: 'ghsql', registryUrl: standIn.registryUrl, packageNames, concurrency: graphConcurrency }, graphVersions);
      graph.push({ ...graphRun, registry: await standIn.registryRequests() });
    }
  } finally {
    await standIn.close();
  }

  const medianOf = (probes: readonly ProbeResult[], field: keyof ProbeResult) => median(probes.map((result) => result[field]));
  const requestsOf = (probes: readonly Probed[]) => countRange(probes.map((result) => result.requests.length));
  const manifestGets = (registry: readonly RegistryRequest[]) => registry.filter((request) => request.path.includes('/manifests/') && request.status === 200);
  const graphChecks = graph.map(({ registry }) => {
    const gets = manifestGets(registry);
    return { gets: gets.length, digests: new Set(gets.map((request) => request.path)).size, maxInFlight: Math.max(...gets.map((request) => request.inFlight)) };
  });
  for (const checked of graphChecks) check(checked.digests === graphVersions, `scenario 9: the graph fetched ${checked.digests} distinct manifests, not ${graphVersions}`);

  const ghsqlMs = medianOf(ghsql, 'wallMs');
  const loopMs = medianOf(loop, 'wallMs');
  const ratio = ghsqlMs / loopMs;
  const ghsqlRss = medianOf(ghsql, 'maxRssBytes');
  const graphRss = medianOf(graph, 'maxRssBytes');
  const apiRequests = median(ghsql.map((result) => result.requests.length));
  const graphApiRequests = median(graph.map((result) => result.requests.length));
  const graphMs = medianOf(graph, 'wallMs');
  const graphGets = median(graphChecks.map((checked) => checked.gets));
  // Each package: its list's first page, then the rest at once (≤ concurrency pages), then its manifests.
  const pagesEach = Math.ceil(versionsEach / PER_PAGE);
  const graphIdealMs = graphPackages * ((1 + Math.ceil((pagesEach - 1) / graphConcurrency)) * API_LATENCY_MS + Math.ceil(versionsEach / graphConcurrency) * REGISTRY_LATENCY_MS);
  const perMinute = (requests: number, ms: number) => (requests * 60_000) / ms;
  const what = `9. organization: ${thousands(packages)} containers × ${thousands(versionsEach)} versions (${thousands(versions)})`;
  const graphWhat = `9. image graph of ${graphPackages} of them (${thousands(graphVersions)} manifests), ${REGISTRY_LATENCY_MS} ms per registry request, --concurrency ${graphConcurrency}`;
  return [
    {
      scenario: `${what} through the join, ${API_LATENCY_MS} ms latency, vs serial @octokit/request loop`,
      ghsql: milliseconds(ghsqlMs),
      baseline: milliseconds(loopMs),
      ratio,
      requests: `${requestsOf(ghsql)} (loop ${requestsOf(loop)})`,
      bar: `≤ ${MAX_VERSIONS_RATIO.toFixed(2)}×`,
      pass: ratio <= MAX_VERSIONS_RATIO,
    },
    {
      scenario: `9. the same: CPU time of the process`,
      ghsql: milliseconds(medianOf(ghsql, 'cpuMs')),
      baseline: milliseconds(medianOf(loop, 'cpuMs')),
      ratio: medianOf(ghsql, 'cpuMs') / medianOf(loop, 'cpuMs'),
      requests: requestsOf(ghsql),
      bar: 'reported',
    },
    {
      scenario: `9. the same: peak RSS`,
      ghsql: megabytes(ghsqlRss),
      baseline: megabytes(medianOf(loop, 'maxRssBytes')),
      ratio: ghsqlRss / medianOf(loop, 'maxRssBytes'),
      requests: requestsOf(ghsql),
      bar: `≤ ${megabytes(MAX_RSS_BYTES)}`,
      pass: ghsqlRss <= MAX_RSS_BYTES,
    },
    {
      scenario: `9. the same against GitHub's limits: share of ${thousands(REQUESTS_PER_HOUR)} requests/hour; rate vs ${POINTS_PER_MINUTE}/min (secondary)`,
      ghsql: `${percent(apiRequests / REQUESTS_PER_HOUR)}; ${thousands(perMinute(apiRequests, ghsqlMs))}/min`,
      baseline: `${percent(median(loop.map((result) => result.requests.length)) / REQUESTS_PER_HOUR)}; ${thousands(perMinute(median(loop.map((result) => result.requests.length)), loopMs))}/min`,
      requests: `${requestsOf(ghsql)} (loop ${requestsOf(loop)})`,
      bar: 'reported',
    },
    {
      scenario: `${graphWhat}, vs ideal at that concurrency`,
      ghsql: milliseconds(graphMs),
      baseline: milliseconds(graphIdealMs),
      ratio: graphMs / graphIdealMs,
      requests: `${requestsOf(graph)} API + ${countRange(graphChecks.map((checked) => checked.gets)).replace(/\d+/g, (count) => thousands(Number(count)))} manifest GETs of ${thousands(graphVersions)} digests, ≤ ${countRange(graphChecks.map((checked) => checked.maxInFlight))} in flight`,
      bar: `each digest once, ${graphConcurrency} in flight`,
      pass: graphChecks.every((checked) => checked.gets === graphVersions && checked.maxInFlight === graphConcurrency),
    },
    {
      scenario: `9. the graph: CPU time; peak RSS`,
      ghsql: `${milliseconds(medianOf(graph, 'cpuMs'))}; ${megabytes(graphRss)}`,
      baseline: '',
      requests: requestsOf(graph),
      bar: `RSS ≤ ${megabytes(MAX_RSS_BYTES)}`,
      pass: graphRss <= MAX_RSS_BYTES,
    },
    {
      scenario: `9. the graph against GitHub's limits: API share of ${thousands(REQUESTS_PER_HOUR)}/hour; manifest GETs (not counted there; may count as downloads)`,
      ghsql: `${percent(graphApiRequests / REQUESTS_PER_HOUR)}; ${thousands(graphGets)} GETs, ${thousands(perMinute(graphGets, graphMs))}/min`,
      baseline: '',
      requests: requestsOf(graph),
      bar: 'reported',
    },
  ];
}
