import { GhsqlError } from '../errors.js';
import { quotedWhole } from './redact.js';

/**
 * Parses GitHub's `Link` header: `<url>; rel="next", <url>; rel="last"` → { next: url, last: url }.
 * A link that is not a URL is an error: dropping it would end the list early without a word.
 */
export function parseLinkHeader(header: string | null | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const part of header.split(',')) {
    const match = /<([^>]*)>\s*;\s*rel="([^"]+)"/.exec(part);
    if (!match) continue;
    if (!URL.canParse(match[1]!)) {
      throw new GhsqlError('BAD_RESPONSE', `GitHub's Link header has a rel="${match[2]}" link that is not a URL: ${quotedWhole(match[1]!, 200)}.`);
    }
    links[match[2]!] = match[1]!;
  }
  return links;
}

/** The `page` query value of a pagination URL, if it has one. */
export function pageNumberOf(url: string): number | undefined {
  const page = new URL(url).searchParams.get('page');
  return page === null ? undefined : Number(page);
}

export function withPageNumber(url: string, page: number): string {
  const next = new URL(url);
  next.searchParams.set('page', String(page));
  return next.toString();
}
