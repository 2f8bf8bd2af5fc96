import { execFileSync } from 'node:child_process';

/**
 * The token to use when none is given: GITHUB_TOKEN, then GH_TOKEN, then the GitHub CLI's own
 * (`gh auth token`) when gh is installed and logged in, for the host of the API URL (a GitHub
 * Enterprise Server must not receive the github.com token).
 */
export function tokenFromEnvironment(apiUrl: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env['GITHUB_TOKEN'] || env['GH_TOKEN'];
  if (fromEnv) return fromEnv;
  let host: string;
  try {
    host = new URL(apiUrl).hostname;
  } catch {
    return undefined; // register() reports the bad URL
  }
  const hostname = host === 'api.github.com' ? 'github.com' : host;
  try {
    const token = execFileSync('gh', ['auth', 'token', '--hostname', hostname], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim();
    return token || undefined;
  } catch {
    return undefined; // gh is not installed or not logged in
  }
}

export const DEFAULT_API_URL = 'https://api.github.com';

export function apiUrlFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  return env['GITHUB_API_URL'] || DEFAULT_API_URL;
}

/**
 * The container registry of the API's GitHub: ghcr.io for github.com, containers.HOST for a GitHub
 * Enterprise Server at HOST/api/v3; GHSQL_REGISTRY_URL first. Undefined for any other API URL (the
 * stand-in, a proxy): there is no way to guess it.
 */
export function registryUrlFromEnvironment(apiUrl: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['GHSQL_REGISTRY_URL']) return env['GHSQL_REGISTRY_URL'];
  let api: URL;
  try {
    api = new URL(apiUrl);
  } catch {
    return undefined; // register() reports the bad URL
  }
  if (api.origin === new URL(DEFAULT_API_URL).origin) return 'https://ghcr.io';
  if (api.protocol === 'https:' && api.pathname.replace(/\/+$/, '') === '/api/v3') return `https://containers.${api.host}`;
  return undefined;
}
