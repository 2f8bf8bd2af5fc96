import { GhsqlError } from '../errors.js';
import type { Service } from './transport/exchange.js';

export interface ErrorContext {
  /** Who refused: GitHub, or the container registry or its token service. */
  service: Service;
  method: string;
  /** Path and query as sent, for the message (never contains the token). */
  target: string;
  status: number;
  headers: Headers;
  body: string;
  /** What a 401 message ends with: where the token came from and how to give a good one (auth.ts refusedTokenHelp). */
  tokenHelp: string;
}

function githubMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: GitHub's proxies sometimes answer with HTML; show the start of it
  }
  return body.slice(0, 200) || '(empty response)';
}

/** Scopes the endpoint accepts that the token does not have, from GitHub's scope headers. */
function missingScopes(headers: Headers): string[] {
  const list = (name: string) =>
    (headers.get(name) ?? '')
      .split(',')
      .map((scope) => scope.trim())
      .filter(Boolean);
  const granted = new Set(list('x-oauth-scopes'));
  return list('x-accepted-oauth-scopes').filter((scope) => !granted.has(scope));
}

export function clockTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toTimeString().slice(0, 5);
}

/** Turns a refusal by GitHub (or the container registry) into an error that says what went wrong and what to do. */
export function errorFromResponse(context: ErrorContext): GhsqlError {
  const { status, headers, service } = context;
  const what = `${context.method} ${context.target}`;
  const message = githubMessage(context.body);
  if (status === 401) {
    return new GhsqlError(
      'AUTH',
      `${service.name} rejected the token (401 ${message}) for ${what}. ${context.tokenHelp}`,
      status,
    );
  }
  if (status === 403 || status === 404) {
    const missing = missingScopes(headers);
    if (missing.length > 0 && headers.has('x-oauth-scopes')) {
      return new GhsqlError(
        'FORBIDDEN',
        `the token lacks the ${missing.join(', ')} scope${missing.length > 1 ? 's' : ''} that ${what} needs (${service.name}: ${message}). Create a classic personal access token with ${missing.join(' and ')}.`,
        status,
      );
    }
  }
  if (status === 403) {
    return new GhsqlError(
      'FORBIDDEN',
      `${service.name} refused ${what} (403: ${message}). Packages endpoints accept classic personal access tokens only (not fine-grained or GitHub App tokens).`,
      status,
    );
  }
  if (status === 404) return new GhsqlError('NOT_FOUND', `${what}: not found (${service.name}: ${message}).`, status);
  if (status === 400 && /10000|10,000/.test(message)) {
    return new GhsqlError(
      'LIST_LIMIT',
      `GitHub lists at most 10,000 packages of one type (page × per_page ≤ 10,000), so ${what} cannot return the rest. Narrow the query, e.g. with visibility = 'private', to stay under it.`,
      status,
    );
  }
  return new GhsqlError('HTTP', `${what} failed with ${status}: ${message}`, status);
}
