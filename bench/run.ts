// npm run bench -- [--quick] [--only 1,4] [--org-packages N --org-versions N --graph-packages N
// --graph-concurrency N]: ghsql against the GitHub stand-in with injected latency, next to what a
// user would write without it. Prints one Markdown table of medians.

import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { coldStartScenario } from './cold-start-scenario.js';
import { joinScenario } from './join-scenario.js';
import { listScenarios } from './list-scenarios.js';
import { organizationScenario, type OrganizationSizes } from './organization-scenario.js';
import { formatResults, type ResultRow } from './report.js';
import { throughputScenarios } from './throughput-scenarios.js';
import { versionsJoinScenario } from './versions-join-scenario.js';

interface Plan {
  /** Runs of a scenario that takes under a few seconds. */
  cheapRuns: number;
  /** Runs of one that takes longer (the 100,000-row lists, the 200 gets of the join). */
  slowRuns: number;
  sizes: { large: number; small: number };
  /** Scenario 9, run once per slow run: minutes at full size. */
  organization: OrganizationSizes;
}

const FULL: Plan = {
  cheapRuns: 5,
  slowRuns: 3,
  sizes: { large: 100_000, small: 10_000 },
  organization: { packages: 100, versionsEach: 1_000, graphPackages: 10, graphConcurrency: 16 },
};
// A smoke run: every scenario once, the large lists smaller; its figures are not the bars' verdict.
const QUICK: Plan = {
  cheapRuns: 1,
  slowRuns: 1,
  sizes: { large: 20_000, small: 2_000 },
  organization: { packages: 10, versionsEach: 1_000, graphPackages: 2, graphConcurrency: 16 },
};

const SCENARIO_GROUPS: ReadonlyArray<{ numbers: number[]; run: (plan: Plan) => Promise<ResultRow[]> }> = [
  { numbers: [1, 2, 3], run: (plan) => listScenarios(plan.cheapRuns) },
  { numbers: [4, 5], run: (plan) => throughputScenarios(plan.slowRuns, plan.sizes) },
  { numbers: [6], run: (plan) => coldStartScenario(plan.cheapRuns) },
  { numbers: [7], run: (plan) => joinScenario(plan.slowRuns) },
  { numbers: [8], run: (plan) => versionsJoinScenario(plan.slowRuns) },
  { numbers: [9], run: (plan) => organizationScenario(plan.slowRuns, plan.organization) },
];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'org-packages': { type: 'string' },
    'org-versions': { type: 'string' },
    'graph-packages': { type: 'string' },
    'graph-concurrency': { type: 'string' },
    runs: { type: 'string' },
  },
});
const sizeOption = (name: keyof typeof values, fallback: number): number => {
  const given = values[name];
  if (given === undefined || typeof given !== 'string') return fallback;
  const value = Number(given);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1, not ${JSON.stringify(given)}.`);
  return value;
};
const base = values.quick ? QUICK : FULL;
const plan: Plan = {
  ...base,
  // --runs N: every scenario N times (e.g. 1 for the organization at full size, which takes minutes a run).
  cheapRuns: sizeOption('runs', base.cheapRuns),
  slowRuns: sizeOption('runs', base.slowRuns),
  organization: {
    packages: sizeOption('org-packages', base.organization.packages),
    versionsEach: sizeOption('org-versions', base.organization.versionsEach),
    graphPackages: sizeOption('graph-packages', base.organization.graphPackages),
    graphConcurrency: sizeOption('graph-concurrency', base.organization.graphConcurrency),
  },
};
const only = values.only?.split(',').map(Number);
const groups = SCENARIO_GROUPS.filter((group) => !only || group.numbers.some((number) => only.includes(number)));

const started = performance.now();
const rows: ResultRow[] = [];
for (const group of groups) {
  process.stderr.write(`scenarios ${group.numbers.join(', ')}…\n`);
  rows.push(...(await group.run(plan)));
}
const seconds = Math.round((performance.now() - started) / 1000);
const { organization } = plan;
const runs =
  `median of ${plan.cheapRuns} runs (${plan.slowRuns} for scenarios 4, 5, 7, 8 and 9)` +
  (groups.some((group) => group.numbers.includes(9))
    ? `; scenario 9: --org-packages ${organization.packages} --org-versions ${organization.versionsEach} --graph-packages ${organization.graphPackages} --graph-concurrency ${organization.graphConcurrency}`
    : '');
process.stdout.write(
  `ghsql bench${values.quick ? ' --quick' : ''}: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}; ${runs}; ${seconds} s\n\n` +
    `${formatResults(rows)}\n`,
);
