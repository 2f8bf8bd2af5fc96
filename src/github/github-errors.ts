import { GhsqlError } from '../errors.js';
import { grantedScopes, missingScopes, refusalAdvice, scopesNeeded, tokenKindName, type TokenKind } from './token-kind.js';
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
  /** The refused token's kind and where it came from, so that a 403 or 404 says what that kind can do; default unknown. */
  token?: TokenFacts;
}

export interface TokenFacts {
  kind: TokenKind;
  /** Where it came from as messages name it (GITHUB_TOKEN, `gh auth token …`); undefined when it was given. */
  from?: string;
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

/** The scopes the request needs: those GitHub names in X-Accepted-OAuth-Scopes, else those its documentation gives. */
function neededScopes(headers: Headers, method: string, target: string): string[] {
  const accepted = (headers.get('x-accepted-oauth-scopes') ?? '')
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
  return accepted.length > 0 ? accepted : scopesNeeded({ method, target });
}

/** "The token in GITHUB_TOKEN is a fine-grained personal access token (github_pat_)." — never the token itself. */
function tokenSentence({ kind, from }: TokenFacts): string {
  if (kind === 'unknown') return '';
  return ` The token${from === undefined ? ' given' : ` in ${from}`} is ${tokenKindName(kind)}.`;
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
    const token = context.token ?? { kind: 'unknown' };
    const granted = grantedScopes(headers);
    const missing = granted === undefined ? [] : missingScopes(neededScopes(headers, context.method, context.target), granted);
    if (granted !== undefined && missing.length > 0) {
      const names = missing.join(' and ');
      return new GhsqlError(
        'FORBIDDEN',
        `the token lacks the ${missing.join(', ')} scope${missing.length > 1 ? 's' : ''} that ${what} needs (${service.name}: ${message}; it has ${granted.length > 0 ? granted.join(', ') : 'no scopes'}). Add ${names} to the token (https://github.com/settings/tokens) or create a classic personal access token with ${names}.`,
        status,
      );
    }
    const advice = refusalAdvice({ method: context.method, target: context.target, status, kind: token.kind });
    const more = advice === undefined ? '' : `${tokenSentence(token)} ${advice}`;
    if (status === 403) return new GhsqlError('FORBIDDEN', `${service.name} refused ${what} (403: ${message}).${more}`, status);
    return new GhsqlError('NOT_FOUND', `${what}: not found (${service.name}: ${message}).${more}`, status);
  }
  if (status === 400 && /10000|10,000/.test(message)) {
    return new GhsqlError(
      'LIST_LIMIT',
      `GitHub lists at most 10,000 packages of one type (page × per_page ≤ 10,000), so ${what} cannot return the rest. Narrow the query, e.g. with visibility = 'private', to stay under it.`,
      status,
    );
  }
  return new GhsqlError('HTTP', `${what} failed with ${status}: ${message}`, status);
}
