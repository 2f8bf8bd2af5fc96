// One measured job in a process of its own, which reports the CPU time and peak memory of that
// process: ghsql's SQL thread and worker together, or a baseline loop. Started by probe-process.ts.

import { DEMO_ORGANIZATION } from '../dist/stand-in/accounts-data.js';
import type { PackageType } from '../dist/stand-in/packages-data.js';
import { countSql, queryWithGhsql } from './ghsql-query.js';
import { countVersionsWithOctokitLoop, countWithFetchLoop, type ApiTarget } from './page-loops.js';

export type ProbeJob =
  /** Scenarios 4 and 5: one full list of a type. */
  | { job: 'packages'; client: 'ghsql' | 'fetch'; packageType: PackageType }
  /** Scenario 9: every version of every container package of the organization. */
  | { job: 'organization versions'; client: 'ghsql' | 'octokit' }
  /** Scenario 9: the image graph (one manifest per version) of some of its packages. */
  | { job: 'organization graph'; client: 'ghsql'; registryUrl: string; packageNames: string[]; concurrency: number };

export type ProbeRequest = ProbeJob & { api: ApiTarget };

export interface ProbeResult {
  rows: number;
  wallMs: number;
  /** User and system time of every thread of the process, during the job only. */
  cpuMs: number;
  /** Peak resident set of the whole process's life. */
  maxRssBytes: number;
}

const sqlString = (value: string) => `'${value.replaceAll("'", "''")}'`;

export const ORGANIZATION_VERSIONS_SQL = `SELECT count(*) FROM org_packages p
  JOIN org_package_versions v ON v.org = p.org AND v.package_type = p.package_type AND v.package_name = p.name
  WHERE p.org = ${sqlString(DEMO_ORGANIZATION)} AND p.package_type = 'container'`;

const graphSql = (packageNames: readonly string[]) =>
  `SELECT count(*) FROM org_container_manifests WHERE org = ${sqlString(DEMO_ORGANIZATION)} AND package_name IN (${packageNames.map(sqlString).join(', ')})`;

async function countRows(request: ProbeRequest): Promise<number> {
  const { api } = request;
  const ghsqlCount = async (sql: string, setup: { uncapped?: boolean; registryUrl?: string; concurrency?: number } = {}) =>
    Number((await queryWithGhsql({ api, ...setup }, sql)).rows[0]![0]);
  switch (request.job) {
    case 'packages':
      return request.client === 'ghsql' ? ghsqlCount(countSql(request.packageType), { uncapped: true }) : countWithFetchLoop(api, request.packageType);
    case 'organization versions':
      return request.client === 'ghsql' ? ghsqlCount(ORGANIZATION_VERSIONS_SQL) : countVersionsWithOctokitLoop(api, 'container', `/orgs/${DEMO_ORGANIZATION}`);
    case 'organization graph':
      return ghsqlCount(graphSql(request.packageNames), { registryUrl: request.registryUrl, concurrency: request.concurrency });
  }
}

// Run as a process (probe-process.ts), not imported for its exports alone.
if (process.argv[2] !== undefined) {
  const request = JSON.parse(process.argv[2]) as ProbeRequest;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const rows = await countRows(request);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const result: ProbeResult = { rows, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(JSON.stringify(result));
}
