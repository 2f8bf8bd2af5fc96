// Runs a probe (probe.ts) in a process of its own and checks the rows it counted.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { StandIn } from '../dist/stand-in/thread.js';
import type { LoggedRequest } from '../dist/stand-in/server.js';
import { check } from './measure.js';
import type { ProbeJob, ProbeRequest, ProbeResult } from './probe.js';
import { withRequests } from './stand-in-process.js';

const runFile = promisify(execFile);

export type Probed = ProbeResult & { requests: LoggedRequest[] };

/** The probe's figures and the API requests the stand-in received meanwhile. */
export async function probe(standIn: StandIn, job: ProbeJob, expectedRows: number): Promise<Probed> {
  const request: ProbeRequest = { ...job, api: { url: standIn.url, token: standIn.token } };
  const { value, requests } = await withRequests(standIn, async () => {
    const { stdout } = await runFile(process.execPath, [fileURLToPath(new URL('./probe.js', import.meta.url)), JSON.stringify(request)], { maxBuffer: 1_048_576 });
    return JSON.parse(stdout) as ProbeResult;
  });
  check(value.rows === expectedRows, `the ${job.client} probe of ${job.job} counted ${value.rows} rows, not ${expectedRows}`);
  return { ...value, requests };
}
