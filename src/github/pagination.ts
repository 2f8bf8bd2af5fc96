import type { ApiRequest, ApiResponse, GitHubClient } from './client.js';
import { pageNumberOf, parseLinkHeader, withPageNumber } from './link-header.js';

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

/**
 * Yields the pages of a list in order. When the first page's Link header gives the last page, later
 * pages are fetched ahead, up to `concurrency` at a time and never beyond what the reader demanded,
 * so memory stays bounded by the pages in flight. Otherwise it follows rel="next" one page at a time.
 * A page that fails (after the client's retries) fails the whole read: no partial result.
 */
export async function* readPages(
  client: GitHubClient,
  first: ApiRequest,
  demand: PageDemand,
  signal: AbortSignal,
): AsyncGenerator<ApiResponse> {
  const firstPage = await client.send(first, signal);
  yield firstPage;
  const links = parseLinkHeader(firstPage.headers.get('link'));
  if (!links['next']) return;
  const lastPage = links['last'] ? pageNumberOf(links['last']) : undefined;
  if (lastPage === undefined || !Number.isInteger(lastPage) || lastPage < 2 || pageNumberOf(links['next']) !== 2) {
    yield* followNext(client, links['next'], 2, demand, signal);
    return;
  }
  let finalPage: ApiResponse | undefined;
  for await (const page of readAhead(client, links['next'], lastPage, demand, signal)) {
    finalPage = page;
    yield page;
  }
  // The list may have grown since the first page named its last one: nothing is left behind.
  const beyond = parseLinkHeader(finalPage?.headers.get('link'))['next'];
  if (beyond) yield* followNext(client, beyond, lastPage + 1, demand, signal);
}

async function* readAhead(
  client: GitHubClient,
  secondPageUrl: string,
  lastPage: number,
  demand: PageDemand,
  outerSignal: AbortSignal,
): AsyncGenerator<ApiResponse> {
  const controller = new AbortController();
  const signal = AbortSignal.any([outerSignal, controller.signal]);
  const inFlight = new Map<number, Promise<ApiResponse>>();
  let nextToFetch = 2;
  let delivered = 1;
  const launch = () => {
    while (
      nextToFetch <= lastPage &&
      nextToFetch <= demand.pages &&
      nextToFetch <= delivered + client.options.concurrency
    ) {
      const response = client.send({ route: `GET ${withPageNumber(secondPageUrl, nextToFetch)}` }, signal);
      response.catch(() => undefined); // awaited in order below; this only silences the early rejection
      inFlight.set(nextToFetch++, response);
    }
  };
  const stopListening = demand.onRaise(launch);
  try {
    for (let page = 2; page <= lastPage; page++) {
      launch();
      if (!inFlight.has(page)) {
        await demand.until(page, signal);
        launch();
      }
      const response = await inFlight.get(page)!;
      inFlight.delete(page);
      delivered = page;
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
): AsyncGenerator<ApiResponse> {
  let url: string | undefined = nextUrl;
  for (let page = firstPage; url; page++) {
    await demand.until(page, signal);
    const response = await client.send({ route: `GET ${url}` }, signal);
    yield response;
    url = parseLinkHeader(response.headers.get('link'))['next'];
  }
}
