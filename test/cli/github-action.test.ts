// The Action's own step (action/run.sh, as action.yml runs it) with the environment a runner gives
// it: INPUT_* values, GITHUB_ACTIONS, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_ACTOR; against the
// stand-in, a dry run, a real prune of a named organization package with its image graph, and a run
// with a refusal.

import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { ROOT, tempHome, type TempHome } from './helpers.js';

let standIn: StandIn;
let home: TempHome;
beforeEach(async () => {
  standIn = await startStandIn();
  home = tempHome();
});
afterEach(async () => {
  await standIn.close();
  home.remove();
});

interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
}

const PRUNE_PARAMS = 'org=acme-corp\npackage=platform/edge-proxy\nkeep=2\nolder_than_days=30\n';

function runStep(inputs: Record<string, string>, cwd = ROOT): Promise<StepResult> {
  const summaryFile = join(home.dir, 'summary.md');
  const outputFile = join(home.dir, 'output.txt');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const env: NodeJS.ProcessEnv = {
    ...home.env,
    GITHUB_ACTIONS: 'true',
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_ACTOR: 'octo-demo',
    INPUT_TOKEN: standIn.token,
    INPUT_API_URL: standIn.url,
    INPUT_REGISTRY_URL: standIn.registryUrl,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase().replace(/-/g, '_')}`, value])),
  };
  return new Promise((resolve) => {
    execFile('bash', [join(ROOT, 'action', 'run.sh')], { env, cwd }, (error, stdout, stderr) => {
      const outputs = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter((line) => line.includes('='))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr, summary: readFileSync(summaryFile, 'utf8'), outputs });
    });
  });
}

const deletes = async () => (await standIn.requests()).filter((entry) => entry.method === 'DELETE');

describe('the ghsql Action', () => {
  it('dry-runs by default: the plan in the job summary and the outputs, nothing deleted', async () => {
    // As the README's workflow names it: ghsql's own report, by its path in ghsql.
    const step = await runStep({ 'sql-file': 'sql/prune-org-container-versions.sql', params: PRUNE_PARAMS }, home.dir);
    expect(step.code).toBe(0);
    expect(step.outputs).toMatchObject({ would_delete: '4', deleted: '0', refused: '0', failed: '0', error: '' });
    const targets = JSON.parse(step.outputs['targets']!) as Record<string, Array<Record<string, string>>>;
    expect(targets['would_delete']).toHaveLength(4);
    expect(targets['would_delete']![0]).toMatchObject({ org: 'acme-corp', package_type: 'container', package_name: 'platform/edge-proxy' });
    expect(step.summary).toMatch(/^## ghsql\n\n4 would delete\n/);
    expect(step.summary).toMatch(/### Result \(4 rows\)\n\n\| package +\| digest/);
    expect(step.stdout).toMatch(/\| would delete \|/); // the markdown result in the log too
    expect(await deletes()).toEqual([]);
  });

  it('prunes for real with dry-run: false, and the versions the kept images need stay', async () => {
    const step = await runStep({ 'sql-file': join(ROOT, 'sql', 'prune-org-container-versions.sql'), params: PRUNE_PARAMS, 'dry-run': 'false' });
    expect(step.code).toBe(0);
    expect(step.outputs).toMatchObject({ deleted: '4', refused: '0', failed: '0', would_delete: '0' });
    expect(await deletes()).toHaveLength(4);
    // Run again: nothing left to prune.
    const again = await runStep({ 'sql-file': join(ROOT, 'sql', 'prune-org-container-versions.sql'), params: PRUNE_PARAMS, 'dry-run': 'false' });
    expect(again.outputs).toMatchObject({ deleted: '0', refused: '0' });
  });

  it('reports a refusal as a warning and goes on; fail-on-refused fails the step', async () => {
    // Every untagged version of the package, children of kept images included: the guard refuses those.
    const sql =
      "WITH chosen AS MATERIALIZED (SELECT id FROM org_package_versions WHERE org = :org AND package_type = 'container' AND package_name = :package AND json_array_length(tags) = 0 ORDER BY created_at) " +
      "SELECT id, delete_package_version_for_org(:org, 'container', :package, id) AS outcome FROM chosen";
    const inputs = { sql, params: 'org=acme-corp\npackage=platform/edge-proxy\n', 'dry-run': 'false' };
    const step = await runStep(inputs);
    expect(step.code).toBe(0);
    expect(Number(step.outputs['refused'])).toBeGreaterThan(0);
    expect(step.stdout).toMatch(/^::warning::delete_package_version_for_org\(acme-corp, container, platform\/edge-proxy, \d+\): refused: /m);
    expect(step.summary).toMatch(/### Refused\n\n- `delete_package_version_for_org\(acme-corp, container, platform\/edge-proxy, \d+\)`: refused: /);
    const strict = await runStep({ ...inputs, 'fail-on-refused': 'true' });
    expect(strict.code).toBe(3);
  });

  it('writes the summary and an ::error:: when the statement fails', async () => {
    const step = await runStep({ sql: "SELECT * FROM org_package_versions WHERE org = 'acme-corp' AND package_type = 'container'" });
    expect(step.code).toBe(1);
    expect(step.stdout).toMatch(/^::error::org_package_versions needs package_name/m);
    expect(step.summary).toMatch(/\*\*Failed:\*\* org_package_versions needs package_name/);
    expect(step.outputs['error']).toMatch(/^org_package_versions needs package_name/);
  });
});
