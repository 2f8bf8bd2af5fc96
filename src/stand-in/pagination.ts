// GitHub's page and per_page parameters and its Link header, shared by every list the stand-in serves.

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

export interface PageRequest {
  page: number;
  perPage: number;
}

/** Values that are not positive integers fall back to the defaults rather than fail the request, as on GitHub. */
export function pageRequest(query: URLSearchParams): PageRequest {
  return {
    page: positiveInteger(query.get('page')) ?? 1,
    perPage: Math.min(positiveInteger(query.get('per_page')) ?? DEFAULT_PER_PAGE, MAX_PER_PAGE),
  };
}

export interface ListPage<Item> {
  items: readonly Item[];
  /** Absent when everything fits on one page. */
  link: string | undefined;
}

/**
 * One page of `all`, with the Link header counted from all of them. `endpointUrl` is the list's URL
 * without its query, as the client asked for it.
 */
export function listPage<Item>(all: readonly Item[], request: PageRequest, endpointUrl: string, rawQuery: string): ListPage<Item> {
  const start = (request.page - 1) * request.perPage;
  const lastPage = Math.max(1, Math.ceil(all.length / request.perPage));
  return { items: all.slice(start, start + request.perPage), link: linkHeader(endpointUrl, rawQuery, request.page, lastPage) };
}

/** The headers for a list page: Link only when there is one. */
export function linkHeaders(page: ListPage<unknown>): Record<string, string> {
  return page.link === undefined ? {} : { link: page.link };
}

function positiveInteger(text: string | null): number | undefined {
  if (text === null || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value > 0 ? value : undefined;
}

/**
 * GitHub's format: the request's query with `page` moved to the end, links in the order
 * prev, next, last, first; no header when everything fits on one page.
 */
function linkHeader(endpointUrl: string, rawQuery: string, page: number, lastPage: number): string | undefined {
  const kept = rawQuery.split('&').filter((parameter) => parameter !== '' && parameter.split('=')[0] !== 'page');
  const pageUrl = (target: number) => `<${endpointUrl}?${[...kept, `page=${target}`].join('&')}>`;
  const links: string[] = [];
  if (page > 1) links.push(`${pageUrl(page - 1)}; rel="prev"`);
  if (page < lastPage) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${pageUrl(1)}; rel="first"`);
  return links.length > 0 ? links.join(', ') : undefined;
}
