import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actionArguments } from '../../dist/table/types.js';
import { resources } from '../../dist/tables/index.js';
import { demoAccounts } from '../../dist/stand-in/accounts-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { openSession, useStandInSession } from '../support/ghsql.js';

const openapi = JSON.parse(readFileSync(new URL('../fixtures/github-packages-openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string }>>;
};

describe('every operation of the packages service', () => {
  it('is reachable from a table method or an action, under its own operationId', () => {
    const reachable = new Map<string, string>();
    for (const resource of resources) {
      for (const method of resource.methods) reachable.set(method.route, method.operationId);
      // An action without a route (removing a tag) is several requests, none an operation of its own.
      for (const action of resource.actions) if (action.route !== undefined) reachable.set(action.route, `packages/${action.name.replace(/_/g, '-')}`);
    }
    const operations = Object.entries(openapi.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([verb, operation]) => ({ route: `${verb.toUpperCase()} ${path}`, operationId: operation.operationId })),
    );
    expect(operations).toHaveLength(27);
    for (const { route, operationId } of operations) expect(reachable.get(route), route).toBe(operationId);
  });
});

describe('organizations and other users', () => {
  // The demo's accounts, with a second organization (beta-labs) whose public packages the demo token can read as an outsider.
  const context = useStandInSession({ accounts: demoAccounts() }, { writeIntervalMs: 0, dryRun: true });
  const { sql, requests } = context;

  it.each([
    ['org_packages', "org = 'acme-corp'", '/orgs/acme-corp/packages'],
    ['user_packages', "username = 'hubot-two'", '/users/hubot-two/packages'],
  ])('%s: lists, gets one, a 404 get is no row; the owner shows on every row', async (table, owner, path) => {
    const listed = sql(`SELECT name, package_type FROM ${table} WHERE ${owner} AND package_type = 'container'`);
    expect(listed.length).toBeGreaterThan(0);
    const first = listed[0]!['name'] as string;
    const ownerColumn = owner.split(' ')[0]!;
    expect(sql(`SELECT name, ${ownerColumn} AS owner FROM ${table} WHERE ${owner} AND package_type = 'container' AND package_name = ?`, first)).toEqual([
      { name: first, owner: owner.split("'")[1] },
    ]);
    expect(sql(`SELECT name FROM ${table} WHERE ${owner} AND package_type = 'container' AND package_name = 'no-such'`)).toEqual([]);
    const paths = (await requests()).map((entry) => `${entry.path} ${entry.status}`);
    expect(paths).toEqual([`${path} 200`, `${path}/container/${encodeURIComponent(first)} 200`, `${path}/container/no-such 404`]);
  });

  it.each([
    ['org_package_versions', 'org_packages', "org = 'acme-corp'", 'org'],
    ['user_package_versions', 'user_packages', "username = 'hubot-two'", 'username'],
  ])('%s: every version of every container package, in one join', (versions, packages, owner, column) => {
    const rows = sql(`SELECT p.name, count(v.id) AS n, sum(v.${column} = p.${column}) AS same_owner FROM ${packages} p
      JOIN ${versions} v ON v.${column} = p.${column} AND v.package_type = p.package_type AND v.package_name = p.name
      WHERE p.${owner} AND p.package_type = 'container' GROUP BY p.name`);
    expect(rows.length).toBeGreaterThan(0);
    const counts = sql(`SELECT name, version_count FROM ${packages} WHERE ${owner} AND package_type = 'container'`);
    for (const row of rows) {
      expect(row['n']).toBe(counts.find((count) => count['name'] === row['name'])!['version_count']);
      expect(row['same_owner']).toBe(row['n']);
    }
  });

  it('joins across owners: two organizations, each package with its versions', () => {
    const rows = sql(`SELECT o.org, o.name, count(v.id) AS versions FROM org_packages o
      JOIN org_package_versions v ON v.org = o.org AND v.package_type = o.package_type AND v.package_name = o.name
      WHERE o.org IN ('acme-corp', 'beta-labs') AND o.package_type = 'container' GROUP BY 1, 2`);
    expect(new Set(rows.map((row) => row['org']))).toEqual(new Set(['acme-corp', 'beta-labs']));
  });

  it("shows another user's public packages only", () => {
    const visibilities = sql("SELECT DISTINCT visibility FROM user_packages WHERE username = 'hubot-two' AND package_type IN ('npm', 'container', 'nuget', 'rubygems', 'maven', 'docker')");
    expect(visibilities).toEqual([{ visibility: 'public' }]);
  });

  it('the docker conflicts lists, for each owner', () => {
    expect(sql('SELECT name FROM auth_user_docker_conflicts')).toEqual([{ name: 'nginx-proxy' }]);
    expect(sql("SELECT name FROM org_docker_conflicts WHERE org = 'acme-corp' ORDER BY name").length).toBeGreaterThan(0);
    expect(sql("SELECT name FROM user_docker_conflicts WHERE username = 'hubot-two'").map((row) => row['name'])).toContain('hubot-legacy');
  });

  it('a missing owner says which column, with an example; an unknown owner is told apart from an unknown package', async () => {
    expect(() => sql("SELECT * FROM org_packages WHERE package_type = 'npm'")).toThrow(
      /org_packages needs org in the WHERE clause, e\.g\. SELECT \* FROM org_packages WHERE org = 'acme-corp' AND package_type = 'npm'/,
    );
    expect(() => sql('SELECT * FROM user_docker_conflicts')).toThrow(/user_docker_conflicts needs username in the WHERE clause/);
    expect(() => sql("SELECT * FROM org_packages WHERE org = 'no-such-org' AND package_type = 'npm'")).toThrow(/org_packages: .*not found.* No such organization, or the token cannot see it/);
    expect(sql("SELECT * FROM org_packages WHERE org = 'acme-corp' AND package_type = 'npm' AND package_name = 'no-such'")).toEqual([]);
  });

  it('every action takes the owner first, goes to its route, and is guarded', async () => {
    const calls: Record<string, string> = {
      delete_package_for_org: "('acme-corp', 'npm', 'x')",
      restore_package_for_org: "('acme-corp', 'npm', 'x', 'tok')",
      delete_package_version_for_org: "('acme-corp', 'npm', 'x', 1)",
      restore_package_version_for_org: "('acme-corp', 'npm', 'x', 1)",
      delete_package_for_user: "('hubot-two', 'npm', 'x')",
      restore_package_for_user: "('hubot-two', 'npm', 'x')",
      delete_package_version_for_user: "('hubot-two', 'npm', 'x', 1)",
      restore_package_version_for_user: "('hubot-two', 'npm', 'x', 1)",
      remove_container_tag_for_org: "('acme-corp', 'x', 'latest')",
      remove_container_tag_for_user: "('hubot-two', 'x', 'latest')",
    };
    // Removing a tag reads the package's versions first: 'x' has none, of any type.
    const untagOutcome = /^would refuse: there is no container package x with active versions/;
    for (const resource of resources.filter((candidate) => /^(org|user)_/.test(candidate.table))) {
      for (const action of resource.actions) {
        expect(actionArguments(action)[0]!.name).toBe(resource.table.startsWith('org') ? 'org' : 'username');
        // A dry run reads what the real run would: version 1 of 'x' is not in its (empty) versions list.
        const [{ outcome }] = sql(`SELECT ${action.name}${calls[action.name]!} AS outcome`) as [{ outcome: string }];
        if (action.route === undefined) expect(outcome).toMatch(untagOutcome);
        else expect(outcome).toBe(action.lastItemOf ? 'would be already gone' : action.dryRunOutcome);
      }
    }
    expect(Object.keys(calls)).toHaveLength(10);
    // A dry run sends no write; it reads the versions lists a version delete's plan and an untag need.
    expect((await requests()).filter((entry) => entry.method !== 'GET' || !entry.path.endsWith('/x/versions'))).toEqual([]);
    const writes = openSession(context.standIn, { writeIntervalMs: 0 });
    expect(() => writes.db.prepare("SELECT delete_package_for_org('acme-corp', 'npm', 'x')").get()).toThrow(/off by default/);
    await writes.close();
  });

  it('an organization delete without admin says what it needs', async () => {
    const member = await startStandIn({ tokens: { 'member-token': { scopes: ['read:packages', 'delete:packages'], organizations: { 'acme-corp': 'member' } } } });
    const session = openSession(member, { allowWrites: true, writeIntervalMs: 0 });
    const name = (session.db.prepare("SELECT name FROM org_packages WHERE org = 'acme-corp' AND package_type = 'container' LIMIT 1").get() as { name: string }).name;
    expect(() => session.db.prepare('SELECT delete_package_for_org(?, ?, ?)').get('acme-corp', 'container', name)).toThrow(
      /delete_package_for_org: acme-corp\/container\/.*: GitHub refuses: it needs admin permissions in the organization/,
    );
    await session.close();
    await member.close();
  });
});
