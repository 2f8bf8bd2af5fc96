// Which token belongs to an API URL's host, and how messages speak of it. Runs nothing (auth.ts
// runs gh), so the worker's client loads it without child_process.

import { isLoopback } from './loopback.js';

/** Where a token was found: an environment variable, or the GitHub CLI. */
export type TokenSource = 'GITHUB_TOKEN' | 'GH_TOKEN' | 'GH_ENTERPRISE_TOKEN' | 'GITHUB_ENTERPRISE_TOKEN' | 'gh auth token';

/** github.com's variables, in ghsql's order (the GitHub CLI reads GH_TOKEN first). */
const GITHUB_COM_VARIABLES = ['GITHUB_TOKEN', 'GH_TOKEN'] as const;
/** Any other server's, in the GitHub CLI's order. */
const ENTERPRISE_VARIABLES = ['GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN'] as const;

/** The GitHub an API URL belongs to, as the GitHub CLI names it, and where its token is looked for. */
export interface TokenHost {
  /** What `gh auth token --hostname` is given: github.com for api.github.com, TENANT.ghe.com, a server's host. */
  hostname: string;
  /** The two variables that may hold its token, in the order they are read. */
  variables: readonly [TokenSource, TokenSource];
  /** The command that logs gh in to it. */
  login: string;
}

const GITHUB_COM: TokenHost = { hostname: 'github.com', variables: GITHUB_COM_VARIABLES, login: 'gh auth login' };

/**
 * As the GitHub CLI's TokenForHost (go-gh pkg/auth) decides: GITHUB_TOKEN and GH_TOKEN belong to
 * github.com and to GHE.com tenants (api.TENANT.ghe.com), and here also to this machine, where the
 * stand-in runs; any other host is a GitHub Enterprise Server, whose token is GH_ENTERPRISE_TOKEN or
 * GITHUB_ENTERPRISE_TOKEN, so that a github.com token is never sent to it. Undefined for no URL.
 */
export function tokenHost(apiUrl: string): TokenHost | undefined {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return undefined; // register() reports the bad URL
  }
  const host = url.hostname.toLowerCase();
  if (host === 'github.com' || host.endsWith('.github.com')) return GITHUB_COM;
  // The stand-in has no login of its own; gh's default is as good a hint as any.
  if (isLoopback(url)) return { ...GITHUB_COM, hostname: host };
  const tenant = /(?:^|\.)([^.]+)\.ghe\.com$/.exec(host)?.[1];
  const hostname = tenant ? `${tenant}.ghe.com` : host;
  return { hostname, variables: tenant ? GITHUB_COM_VARIABLES : ENTERPRISE_VARIABLES, login: `gh auth login --hostname ${hostname}` };
}

/** What messages about the token of one API URL need: its host, and where the token in use came from when known. */
export interface TokenAdvice extends TokenHost {
  source?: TokenSource;
}

export function tokenAdvice(apiUrl: string, source?: TokenSource): TokenAdvice {
  return { ...(tokenHost(apiUrl) ?? GITHUB_COM), ...(source ? { source } : {}) };
}

/** How messages name where a token came from: the variable, or the gh command. */
export function sourceName({ source, hostname }: TokenAdvice & { source: TokenSource }): string {
  return source === 'gh auth token' ? `\`gh auth token --hostname ${hostname}\`` : source;
}

/** Completes "no GitHub token: …". */
export function missingTokenHelp({ variables, login }: TokenAdvice): string {
  return `set ${variables.join(' or ')} to a classic personal access token with read:packages (or log in with \`${login}\`)`;
}

/** What a message about a token GitHub refused (401) ends with: where it came from, and what to do. */
export function refusedTokenHelp(advice: TokenAdvice): string {
  const valid = 'a valid classic personal access token with the read:packages scope';
  const { source, variables, login } = advice;
  if (source === undefined) return `Set ${variables.join(' or ')} to ${valid}.`;
  const from = `It came from ${sourceName({ ...advice, source })}`;
  if (source === 'gh auth token') return `${from}: log in again with \`${login} --scopes read:packages\`, or set ${variables.join(' or ')} to ${valid}.`;
  return `${from}: set it to ${valid}.`;
}

/** Completes "Check …" after a token that cannot be one (checkToken in client-options.ts). */
export function tokenToCheck(advice: TokenAdvice): string {
  const [first, second] = advice.variables;
  return advice.source === undefined ? `${first}, ${second} or the token option` : sourceName({ ...advice, source: advice.source });
}
