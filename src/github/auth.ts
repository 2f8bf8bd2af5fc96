import { execFileSync } from 'node:child_process';
import { tokenHost, type TokenSource } from './token-host.js';

export interface FoundToken {
  token: string;
  /** For messages: a refused token is named by where it came from (never shown). */
  source: TokenSource;
}

/**
 * The token for the API URL's host, with where it came from: its two variables in order (see
 * tokenHost), then the GitHub CLI's own (`gh auth token --hostname HOST`) when gh is installed and
 * logged in to that host. `env` is also the environment gh runs in.
 */
export function findToken(apiUrl: string, env: NodeJS.ProcessEnv = process.env): FoundToken | undefined {
  const host = tokenHost(apiUrl);
  if (!host) return undefined;
  for (const source of host.variables) {
    const token = env[source];
    if (token) return { token, source };
  }
  try {
    const token = execFileSync('gh', ['auth', 'token', '--hostname', host.hostname], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim();
    return token ? { token, source: 'gh auth token' } : undefined;
  } catch {
    return undefined; // gh is not installed or not logged in
  }
}

/** findToken's token alone. */
export function tokenFromEnvironment(apiUrl: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findToken(apiUrl, env)?.token;
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
