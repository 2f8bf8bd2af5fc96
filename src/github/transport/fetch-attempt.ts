import { GhsqlError } from '../../errors.js';
import { classifyTransportError } from '../transport-errors.js';
import { settingToCheck, type Attempt, type Fetch, type HttpRequest, type Send } from './exchange.js';

/** What response.text() does: UTF-8, a byte-order mark dropped. */
const UTF8 = new TextDecoder();

/**
 * The bottom layer: one fetch and its whole body within `timeoutMs`, or what went wrong. Never
 * follows a redirect (redirects.ts decides) and never throws for the network: a failure is returned,
 * for retries.ts to judge. Only the caller's abort is thrown, as its reason, and a body longer than
 * the service's maxBodyBytes: reading stops there (a server that never ends its answer would
 * otherwise fill the memory), and no retry would make it shorter.
 */
export function fetchAttempt(fetch: Fetch, timeoutMs: number): Send<Attempt> {
  return async (request) => {
    const { method, url, headers, body, signal } = request;
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let bytes: Buffer | undefined;
    try {
      response = await fetch(url, { method, headers, ...(body ? { body } : {}), redirect: 'manual', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      bytes = await readUpTo(response, request.destination.service.maxBodyBytes);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return { failure: classifyTransportError(error), ms: ms() };
    }
    if (bytes === undefined) throw tooLong(request, response.status);
    return { response, body: UTF8.decode(bytes), bytes, ms: ms() };
  };
}

/** The body, or undefined as soon as it is longer than `limit` (then the rest is never read: the stream is cancelled). */
async function readUpTo(response: Response, limit: number): Promise<Buffer | undefined> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limit) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, length);
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
}

function tooLong({ method, target, url, destination: { service } }: HttpRequest, status: number): GhsqlError {
  return new GhsqlError(
    'BAD_RESPONSE',
    `${service.name} answered ${method} ${target} (${status}) with more than ${mebibytes(service.maxBodyBytes)}, the most ghsql reads of ${service.body}; it stopped reading there and used none of it. Check ${settingToCheck(service, url.origin)}.`,
    status,
  );
}

const mebibytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`);
