import { GhsqlError } from '../errors.js';
import type { ApiRequest, ApiResponse, GitHubClient } from './client.js';
import { pageNumberOf, parseLinkHeader, withPageNumber } from './link-header.js';
import { targetOf } from './request-target.js';

/**
 * How many pages the reader has asked for so far. Pages are fetched only on demand, so a query that
 * stops early (LIMIT 5) costs only the pages it read: the first page is one request, and read-ahead
 * begins only once the reader asks for the second.
 */
export class PageDemand {
  private demanded: number;
  private readonly listeners = new Set<() => void>();

  constructor(initial = 1) {
    this.demanded = initial;
  }

  get pages(): number {
    return this.demanded;
  }

  raise(pages: number): void {
    if (pages <= this.demanded) return;
    this.demanded = pages;
    for (const listener of this.listeners) listener();
  }

  /** Resolves once `page` is demanded. */
  until(page: number, signal: AbortSignal): Promise<void> {
    if (page <= this.demanded) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.listeners.delete(check);
        reject(signal.reason);
      };
      const check = () => {
        if (page > this.demanded) return;
        this.listeners.delete(check);
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.listeners.add(check);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  onRaise(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** GitHub lists at most 10,000 items of one list (page × per_page ≤ 10,000). */
export const GITHUB_LIST_CAP = 10_000;

/**
 * The most pages worth requesting for a list of `perPage` items a page: every page GitHub can serve,
 * plus one, so that GitHub's own answer past the cap (a 400 naming it) is what the user sees.
 */
export function maxPagesFor(perPage: number): number {
  return Math.floor(GITHUB_LIST_CAP / perPage) + 1;
}

/** GitHub's default page size, when the first request does not set per_page. */
const DEFAULT_PER_PAGE = 30;

function perPageOf(request: ApiRequest): number {
  const perPage = Number(request.params?.['per_page'] ?? DEFAULT_PER_PAGE);
  return Number.isInteger(perPage) && perPage > 0 ? perPage : DEFAULT_PER_PAGE;
}

/**
 * The pages a read has asked for: a page asked for twice means the Link headers go round in a circle,
 * and more pages than the bound means they go on without end. Either is an error, never a short list.
 */
class PageTrail {
  private readonly seen = new Set<string>();

  constructor(
    private readonly maxPages: number,
    private readonly list: string,
  ) {}

  /** Records the page at `url`, about to be requested; throws if it was read before or is one too many. */
  visit(url: string): void {
    const key = pageKey(url);
    if (this.seen.has(key)) {
      throw new GhsqlError(
        'BAD_RESPONSE',
        `GitHub's next-page link for ${this.list} leads back to a page already read (${targetOf(new URL(url), [])}); stopping rather than reading the same pages forever.`,
      );
    }
    if (this.seen.size >= this.maxPages) {
      throw new GhsqlError(
        'BAD_RESPONSE',
        `the list ${this.list} goes on past ${this.maxPages} pages, more than GitHub serves for one list; stopping rather than reading without end.`,
      );
    }
    this.seen.add(key);
  }
}

/** One page's identity: its URL with the query sorted and page=1 the same as no page. */
function pageKey(url: string): string {
  const parsed = new URL(url);
  if (parsed.searchParams.get('page') === '1') parsed.searchParams.delete('page');
  parsed.searchParams.sort();
  parsed.hash = '';
  return parsed.href;
}

/**
 * Yields the pages of a list in order. When the first page's Link header gives the last page, later
 * pages are fetched ahead, up to `concurrency` requests at a time and never beyond what the reader
 * demanded, so memory stays bounded by the pages demanded and not yet read. Otherwise it follows rel="next" one page at a time.
 * A page that fails (after the client's retries) fails the whole read: no partial result. So do a
 * next link back to a page already read and a list longer than `maxPages` (give maxPagesFor(per_page);
 * by default it is derived from the first request's per_page).
 *
 * Each page carries the client's remember() when it can be cached: call it once the page is validated.
 */
export async function* readPages(
  client: GitHubClient,
  first: ApiRequest,
  demand: PageDemand,
  signal: AbortSignal,
  maxPages: number = maxPagesFor(perPageOf(first)),
): AsyncGenerator<ApiResponse> {
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new GhsqlError('INVALID_ARGUMENT', `readPages: maxPages must be a whole number of at least 1, not ${maxPages}.`);
  }
  const firstPage = await client.send(first, signal);
  const trail = new PageTrail(maxPages, firstPage.target);
  trail.visit(firstPage.url);
  yield firstPage;
  const links = parseLinkHeader(firstPage.headers.get('link'));
  if (!links['next']) return;
  const lastPage = links['last'] ? pageNumberOf(links['last']) : undefined;
  if (lastPage === undefined || !Number.isInteger(lastPage) || lastPage < 2 || pageNumberOf(links['next']) !== 2) {
    yield* followNext(client, links['next'], 2, demand, signal, trail);
    return;
  }
  let finalPage: ApiResponse | undefined;
  let pageNumber = 1;
  for await (const page of readAhead(client, links['next'], lastPage, demand, signal, trail, maxPages)) {
    checkNotShrunk(page, ++pageNumber, lastPage, firstPage.target);
    finalPage = page;
    yield page;
  }
  // The list may have grown since the first page named its last one: nothing is left behind.
  const beyond = parseLinkHeader(finalPage?.headers.get('link'))['next'];
  if (beyond) yield* followNext(client, beyond, lastPage + 1, demand, signal, trail);
}

/**
 * A list that shrank while it was read (something was deleted) has moved its later items onto pages
 * already read: one may be missing from the result, so it is an error rather than a short list. (A
 * list that grew is followed past its old last page; an item it pushed onto a later page appears
 * twice, which the engine reports.)
 */
function checkNotShrunk(page: ApiResponse, pageNumber: number, lastPage: number, list: string): void {
  const links = parseLinkHeader(page.headers.get('link'));
  // A page before the last one names the last page and a next one; the last page names neither.
  const nowLast = links['last'] !== undefined ? pageNumberOf(links['last']) : links['next'] === undefined ? pageNumber : undefined;
  if (nowLast !== undefined && Number.isInteger(nowLast) && nowLast < lastPage) {
    throw new GhsqlError(
      'LIST_CHANGED',
      `the list ${list} shrank while it was read (its last page was ${lastPage}, now ${nowLast}): something was deleted meanwhile, and an item may have moved onto a page already read. Run the query again.`,
    );
  }
}

/**
 * A list's items counted page by page against what its first page promised: rel="last" naming page N,
 * with a full first page of P items, means more than (N-1)×P items. A list that ends with fewer lost
 * items while it was read: something was deleted meanwhile, and an item may have moved onto a page
 * already read (or the last page came back empty). That is LIST_CHANGED, never a short list.
 * (A deletion that leaves the count within the last page's range is not seen here.)
 */
export class ListCount {
  private counted = 0;
  private pages = 0;
  private promise: { list: string; lastPage: number; perPage: number } | undefined;

  /** Counts the next page's items; call for every page, in order, from the first. */
  add(page: ApiResponse, items: number): void {
    if (this.pages++ === 0) {
      const links = parseLinkHeader(page.headers.get('link'));
      const lastPage = links['next'] && links['last'] ? pageNumberOf(links['last']) : undefined;
      if (lastPage !== undefined && Number.isInteger(lastPage) && lastPage >= 2 && items > 0) this.promise = { list: page.target, lastPage, perPage: items };
    }
    this.counted += items;
  }

  /** Call once the last page is read: throws LIST_CHANGED if the list ended short of its promise. */
  end(): void {
    if (!this.promise) return;
    const { list, lastPage, perPage } = this.promise;
    const least = (lastPage - 1) * perPage + 1;
    if (this.counted >= least) return;
    throw new GhsqlError(
      'LIST_CHANGED',
      `the list ${list} lost items while it was read: its first page said ${lastPage} pages of ${perPage}, so at least ${least} items, but it ended after ${this.counted}. Something was deleted meanwhile, and an item may have moved onto a page already read. Run the query again.`,
    );
  }
}

async function* readAhead(
  client: GitHubClient,
  secondPageUrl: string,
  lastPage: number,
  demand: PageDemand,
  outerSignal: AbortSignal,
  trail: PageTrail,
  maxPages: number,
): AsyncGenerator<ApiResponse> {
  const controller = new AbortController();
  const signal = AbortSignal.any([outerSignal, controller.signal]);
  const inFlight = new Map<number, Promise<ApiResponse>>();
  let nextToFetch = 2;
  /**
   * Requests sent whose answers have not arrived. A slot frees when an answer arrives, not when its
   * rows have been built and taken: the next request is on the wire while a page is being worked on.
   * Pages that arrived and wait for the reader are bounded by the demand.
   */
  let unanswered = 0;
  // Runs from demand.raise() and from answers too, so it must not throw: pages past the bound are refused in the loop below.
  const launch = () => {
    while (!signal.aborted && nextToFetch <= Math.min(lastPage, maxPages) && nextToFetch <= demand.pages && unanswered < client.options.concurrency) {
      const response = client.send({ route: `GET ${withPageNumber(secondPageUrl, nextToFetch)}` }, signal);
      unanswered++;
      const answered = () => {
        unanswered--;
        launch();
      };
      response.then(answered, answered); // also silences an early rejection: the page is awaited in order below
      inFlight.set(nextToFetch++, response);
    }
  };
  const stopListening = demand.onRaise(launch);
  try {
    for (let page = 2; page <= lastPage; page++) {
      trail.visit(withPageNumber(secondPageUrl, page));
      launch();
      if (!inFlight.has(page)) {
        await demand.until(page, signal);
        launch();
      }
      const response = await inFlight.get(page)!;
      inFlight.delete(page);
      yield response;
    }
  } finally {
    stopListening();
    controller.abort(); // pages still in flight are not needed any more
  }
}

async function* followNext(
  client: GitHubClient,
  nextUrl: string,
  firstPage: number,
  demand: PageDemand,
  signal: AbortSignal,
  trail: PageTrail,
): AsyncGenerator<ApiResponse> {
  let url: string | undefined = nextUrl;
  for (let page = firstPage; url; page++) {
    await demand.until(page, signal);
    trail.visit(url);
    const response = await client.send({ route: `GET ${url}` }, signal);
    yield response;
    url = parseLinkHeader(response.headers.get('link'))['next'];
  }
}
