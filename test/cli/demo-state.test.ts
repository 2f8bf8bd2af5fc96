// --demo with --db FILE keeps the stand-in's changes beside FILE, so a second process sees what the
// first did; without --db every demo starts afresh. Untag through the CLI: its outcome, dry run and
// its row in ghsql_audit.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './helpers.js';
import { readWithPython } from '../support/read-with-python.js';

const home = tempHome();
afterAll(() => home.remove());

const ghsql = (args: string[]) => runCli(['--demo', '--format', 'csv', '--no-headers', ...args], { env: home.env });
const EDGE_PROXY = "FROM org_package_versions WHERE org = 'acme-corp' AND package_type = 'container' AND package_name = 'platform/edge-proxy'";
const releaseTags = `SELECT tags ${EDGE_PROXY} AND id = 59034640017`;
const UNTAG_LATEST = "SELECT remove_container_tag_for_org('acme-corp', 'platform/edge-proxy', 'latest')";

describe('the demo across runs', () => {
  it('with --db FILE, an untag and a delete are still there for the next process; the audit keeps the untag', async () => {
    const file = join(home.dir, 'demo.db');
    expect(await ghsql(['--db', file, '--allow-writes', UNTAG_LATEST])).toMatchObject({ code: 0, stdout: 'untagged\r\n' });
    expect(existsSync(`${file}.demo-state`)).toBe(true);
    expect((await ghsql(['--db', file, releaseTags])).stdout).toBe('"[""1.4""]"\r\n');

    const oldest = (await ghsql(['--db', file, `SELECT min(id) ${EDGE_PROXY}`])).stdout.trim();
    const deleted = await ghsql(['--db', file, '--allow-writes', `SELECT delete_package_version_for_org('acme-corp', 'container', 'platform/edge-proxy', ${oldest}, 'break-images')`]);
    expect(deleted).toMatchObject({ code: 0, stdout: 'deleted\r\n' });
    expect((await ghsql(['--db', file, `SELECT count(*) ${EDGE_PROXY} AND id = ${oldest}`])).stdout).toBe('0\r\n');

    const audit = readWithPython(file, "SELECT action, package_name, arguments, outcome, restorable_until IS NULL AS kept FROM ghsql_audit WHERE action = 'remove_container_tag_for_org'");
    expect(audit.rows).toEqual([
      { action: 'remove_container_tag_for_org', package_name: 'platform/edge-proxy', arguments: JSON.stringify({ org: 'acme-corp', package_name: 'platform/edge-proxy', tag: 'latest' }), outcome: 'untagged', kept: 1 },
    ]);
  });

  it('without --db, each run starts afresh', async () => {
    expect(await ghsql(['--allow-writes', UNTAG_LATEST])).toMatchObject({ code: 0, stdout: 'untagged\r\n' });
    expect((await ghsql([releaseTags])).stdout).toBe('"[""1.4"",""latest""]"\r\n');
  });

  it('a dry run of an untag answers would untag, and the only tag is refused, naming the delete', async () => {
    expect(await ghsql(['--dry-run', UNTAG_LATEST])).toMatchObject({ code: 0, stdout: 'would untag\r\n' });
    const only = await ghsql(['--allow-writes', "SELECT remove_container_tag_for_org('acme-corp', 'platform/edge-proxy', '1.3')"]);
    expect(only.code).not.toBe(0);
    expect(only.stderr).toMatch(/"1\.3" is the only tag of version 59034640008 .* do that with delete_package_version_for_org\('acme-corp', 'container', 'platform\/edge-proxy', 59034640008\)/);
  });
});
