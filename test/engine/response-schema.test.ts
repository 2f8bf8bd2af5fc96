import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { openSession, type Session } from '../support/ghsql.js';

describe('responses that break the schema', () => {
  let standIn: StandIn;
  let session: Session;

  beforeAll(async () => {
    const [good, broken] = generatedPackages(2, 'npm', 1);
    // The stand-in renders stored fields as they are: a wrong type here is a wrong type on the wire.
    standIn = await startStandIn({ packages: [good!, { ...broken!, name: 'broken', version_count: 'many' as unknown as number }] });
    session = openSession(standIn);
  });
  afterAll(async () => {
    await session.close();
    await standIn.close();
  });

  it('fail the statement with an error naming the item and field', () => {
    expect(() => session.db.prepare("SELECT * FROM auth_user_packages WHERE package_type = 'npm'").all()).toThrow(
      /does not match the expected schema at item 1, field version_count: .*expected number/,
    );
  });

  it('fail a get too, naming the field', () => {
    expect(() => session.db.prepare("SELECT * FROM auth_user_packages WHERE package_type = 'npm' AND package_name = 'broken'").all()).toThrow(
      /field version_count/,
    );
  });
});
