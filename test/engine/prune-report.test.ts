// sql/prune-container-versions.sql run for real (test/cli/reports.test.ts runs it in dry-run, where no
// guard reads anything): its order and what it keeps pass the delete's guard, so it deletes every
// version it names and breaks no image.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf, imageGraphPlan, ociIndex } from '../../dist/stand-in/images-data.js';
import { demoPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { ROOT } from '../cli/helpers.js';
import { nextTurn, openSession, type Session } from '../support/ghsql.js';

type Row = Record<string, unknown>;

const PRUNE = readFileSync(join(ROOT, 'sql', 'prune-container-versions.sql'), 'utf8');
// Only the demo's image graph, so that the report has few versions to delete.
const APP = demoPackages().find((pkg) => pkg.package_type === 'container' && pkg.name === 'acme/app')!;
const PLAN = imageGraphPlan(APP.id);
const labelOf = (digest: unknown) => PLAN.find((planned) => digestOf(planned.manifest.body) === digest)?.label ?? `pushed ${String(digest)}`;
const manifestOf = (label: string) => PLAN.find((planned) => planned.label === label)!.manifest;

let standIn: StandIn;
let session: Session;
beforeEach(async () => {
  standIn = await startStandIn({ packages: [APP], accounts: [] });
  session = openSession(standIn, { allowWrites: true, writeIntervalMs: 0 });
});
afterEach(async () => {
  await session.close();
  await standIn.close();
});

const brokenImages = () => session.db.prepare("SELECT DISTINCT image FROM auth_user_container_links WHERE package_name = 'acme/app' AND version_id IS NULL").all() as Row[];

describe('sql/prune-container-versions.sql, with writes', () => {
  it('deletes an untagged index before the children it needed, and breaks no image', async () => {
    const rows = session.db.prepare(PRUNE).all() as Row[];
    expect(rows.map((row) => [labelOf(row['digest']), row['outcome']])).toEqual([
      ['1.0 index', 'deleted'],
      ['orphan', 'deleted'],
      ['1.0 linux/amd64', 'deleted'],
      ['1.0 linux/arm64', 'deleted'],
    ]);
    await nextTurn();
    // 1.1 was broken before: its arm64 child was deleted long ago.
    expect(brokenImages()).toEqual([{ image: 'acme/app:1.1' }]);
  });

  it('keeps an old version that a young untagged index needs', async () => {
    const index = ociIndex([{ manifest: manifestOf('orphan'), platform: 'linux/amd64' }]);
    await standIn.configure({ imagePushes: [{ owner: 'octo-demo', packageName: 'acme/app', manifests: [index], tags: [], afterDeletes: 0 }] });
    const rows = session.db.prepare(PRUNE).all() as Row[];
    expect(rows.map((row) => [labelOf(row['digest']), row['outcome']])).toEqual([
      ['1.0 index', 'deleted'],
      ['1.0 linux/amd64', 'deleted'],
      ['1.0 linux/arm64', 'deleted'],
    ]);
    await nextTurn();
    expect(brokenImages()).toEqual([{ image: 'acme/app:1.1' }]);
  });
});
