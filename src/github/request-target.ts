import { GhsqlError } from '../errors.js';

type Params = Record<string, string | number | undefined>;

/** Path placeholders of a route: `{name}` before any `{?query}` expansion. */
function pathPlaceholders(route: string): string[] {
  const path = route.replace(/^\S+\s+/, '').split(/\{[?&]/)[0] ?? '';
  return [...path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]!);
}

/**
 * Refuses path values that would move the request elsewhere. The route template percent-encodes
 * `/` and `%`, but "." and ".." are path syntax that URL normalisation removes, and an empty value
 * drops its segment: DELETE /user/packages/npm/.. would become DELETE /user/packages/.
 */
export function checkPathValues(route: string, params: Params): void {
  for (const name of pathPlaceholders(route)) {
    const value = params[name];
    const text = value === undefined ? '' : String(value);
    if (text === '' || text === '.' || text === '..') {
      const given = value === undefined ? 'missing' : `${JSON.stringify(text)}`;
      throw new GhsqlError(
        'INVALID_ARGUMENT',
        `${name} cannot be ${given}: it fills one path segment of ${route}, and an empty, "." or ".." segment would send the request to another URL.`,
      );
    }
  }
}

/** What `--trace` and error messages show: path and query as sent, secret query values (a restore's package token) hidden. */
export function targetOf(url: URL, secretParams: readonly string[]): string {
  const shown = new URL(url);
  for (const name of secretParams) if (shown.searchParams.has(name)) shown.searchParams.set(name, '[REDACTED]');
  return `${shown.pathname}${shown.search.replace(/%5BREDACTED%5D/g, '[REDACTED]')}`;
}
