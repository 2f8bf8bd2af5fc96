// One full list in a process of its own, which reports the CPU time and peak memory of that process:
// ghsql's SQL thread and worker together, or the fetch loop. Run by throughput-scenarios.ts.

import type { PackageType } from '../dist/stand-in/packages-data.js';
import { countSql, queryWithGhsql } from './ghsql-query.js';
import { countWithFetchLoop, type ApiTarget } from './page-loops.js';

export interface ProbeRequest {
  client: 'ghsql' | 'fetch';
  api: ApiTarget;
  packageType: PackageType;
}

export interface ProbeResult {
  rows: number;
  wallMs: number;
  /** User and system time of every thread of the process, during the list only. */
  cpuMs: number;
  /** Peak resident set of the whole process's life. */
  maxRssBytes: number;
}

const { client, api, packageType } = JSON.parse(process.argv[2]!) as ProbeRequest;
const cpuBefore = process.cpuUsage();
const started = performance.now();
const rows = client === 'ghsql' ? Number((await queryWithGhsql({ api, uncapped: true }, countSql(packageType))).rows[0]![0]) : await countWithFetchLoop(api, packageType);
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const result: ProbeResult = { rows, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
process.stdout.write(JSON.stringify(result));
