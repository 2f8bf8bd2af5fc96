import { describe, expect, it } from 'vitest';
import { runCli, useHomeAndStandIn } from './helpers.js';

const fixture = useHomeAndStandIn();

const LINKS = "SELECT count(*) AS links FROM auth_user_container_links WHERE package_name = 'acme/app'";
const ghsql = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(['--api-url', fixture.standIn.url, '--format', 'csv', '--no-headers', ...args], { env: { ...fixture.home.env, GITHUB_TOKEN: fixture.standIn.token, ...env } });

describe('the registry URL', () => {
  it('is --registry-url, or GHSQL_REGISTRY_URL', async () => {
    expect(await ghsql(['--registry-url', fixture.standIn.registryUrl, LINKS])).toMatchObject({ code: 0, stdout: '13\r\n', stderr: '' });
    expect(await ghsql([LINKS], { GHSQL_REGISTRY_URL: fixture.standIn.registryUrl })).toMatchObject({ code: 0, stdout: '13\r\n', stderr: '' });
  });

  it('has no default for an API URL that is neither github.com nor HOST/api/v3, and says how to give one', async () => {
    const { code, stderr } = await ghsql([LINKS]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: no container registry is known for the API URL http:\/\/127\.0\.0\.1:\d+: give it with --registry-url or GHSQL_REGISTRY_URL/);
  });

  it('is checked before anything runs: no plain HTTP but to this machine, and not with --demo', async () => {
    await fixture.standIn.clearRequests();
    expect((await ghsql(['--registry-url', 'http://registry.example', LINKS])).stderr).toBe(
      'error: refusing to send the GitHub token over plain HTTP to registry.example: use an https:// registry URL.\n',
    );
    expect((await runCli(['--demo', '--registry-url', 'https://ghcr.io', LINKS], { env: fixture.home.env })).stderr).toBe(
      'error: --demo runs against the built-in stand-in, so --registry-url does not apply; give one of them.\n',
    );
    expect([...(await fixture.standIn.requests()), ...(await fixture.standIn.registryRequests())]).toEqual([]);
  });
});
