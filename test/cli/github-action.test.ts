// The Action's own step (action/run.sh, as action.yml runs it) with the environment a runner gives
// it: INPUT_* values, GITHUB_ACTIONS, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_ACTOR; against the
// stand-in, a dry run, a real prune of a named organization package with its image graph, and a run
// with a refusal. The token is the workflow's: a ghs_ installation token, which GitHub refuses GET
// /user and the package lists, whose repository has the Admin role in the package's Manage Actions
// access.

import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { ROOT, tempHome, type TempHome } from './helpers.js';

/** A made-up value with the workflow token's prefix (the stand-in tells the kind by it). */
const WORKFLOW_TOKEN = 'ghs_workflow-token-of-the-action-test';

let standIn: StandIn;
let home: TempHome;
beforeEach(async () => {
  standIn = await startStandIn({ tokens: { [WORKFLOW_TOKEN]: { scopes: [], packageRoles: { 'acme-corp/container/platform/edge-proxy': 'admin' } } } });
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
    // The image graph was read from the registry, logged in as the workflow's actor: no GET /user, no list.
    const realm = (await standIn.registryRequests()).filter((entry) => entry.path === '/token');
    expect(realm.length).toBeGreaterThan(0);
    expect(realm.every((entry) => entry.login === 'octo-demo' && entry.status === 200)).toBe(true);
    expect((await standIn.requests()).filter((entry) => entry.path === '/user' || entry.path.endsWith('/packages'))).toEqual([]);
    expect(step.stdout + step.stderr + step.summary).not.toContain(WORKFLOW_TOKEN);
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

  it('says in an ::error:: and the summary what the workflow token cannot do: list packages', async () => {
    const step = await runStep({ sql: "SELECT name FROM org_packages WHERE org = :org AND package_type = 'container'", params: 'org=acme-corp\n' });
    expect(step.code).toBe(1);
    expect(step.stdout).toMatch(/^::error::GitHub refused GET \/orgs\/acme-corp\/packages\S* \(403: Resource not accessible by integration\)\. The token in GITHUB_TOKEN is the workflow token.* The workflow token cannot list packages: name them \(package_name IN \(…\)\)/m);
    expect(step.summary).toContain('The workflow token cannot list packages');
    expect(step.stdout + step.stderr + step.summary).not.toContain(WORKFLOW_TOKEN);
  });

  it('writes the summary and an ::error:: when the statement fails', async () => {
    const step = await runStep({ sql: "SELECT * FROM org_package_versions WHERE org = 'acme-corp' AND package_type = 'container'" });
    expect(step.code).toBe(1);
    expect(step.stdout).toMatch(/^::error::org_package_versions needs package_name/m);
    expect(step.summary).toMatch(/\*\*Failed:\*\* org_package_versions needs package_name/);
    expect(step.outputs['error']).toMatch(/^org_package_versions needs package_name/);
  });
});
