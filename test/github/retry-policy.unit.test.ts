import { describe, expect, it } from 'vitest';
import { serializeError } from '../../dist/errors.js';
import { backoffMs, BACKOFF_CAP_MS, canRetry, retryPolicy } from '../../dist/github/retry-policy.js';
import { classifyTransportError } from '../../dist/github/transport-errors.js';

/** The shape fetch (undici) throws: a TypeError whose cause is the socket's error. */
const fetchFailed = (code: string, message = `${code} happened`) => new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });

describe('what fetch threw', () => {
  it.each([
    ['a reset connection', 'reset', fetchFailed('ECONNRESET', 'read ECONNRESET')],
    ['a socket closed mid-answer', 'reset', new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) })],
    ['a refused connection', 'refused', fetchFailed('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9')],
    ['a refused connection, from happy eyeballs', 'refused', new TypeError('fetch failed', { cause: new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]) })],
    ['our timeout', 'timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError')],
    ['a connect timeout', 'timeout', fetchFailed('UND_ERR_CONNECT_TIMEOUT')],
    ['an unknown host', 'unreachable', fetchFailed('ENOTFOUND', 'getaddrinfo ENOTFOUND ghe.example')],
    ['a refused certificate', 'unreachable', fetchFailed('CERT_HAS_EXPIRED', 'certificate has expired')],
    ['an invalid header value', 'local', new TypeError('Headers.append: "token abc\ndef" is an invalid header value.')],
    ['an invalid method', 'local', new TypeError("'GE\tT' is not a valid HTTP method.")],
    ["a body over V8's string limit", 'local', new RangeError('Invalid string length')],
    ['a body over the string limit (Buffer)', 'local', Object.assign(new Error('Cannot create a string longer than 0x1fffffe8 characters'), { code: 'ERR_STRING_TOO_LONG' })],
    ['a programming error', 'local', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['something not an Error', 'local', 'boom'],
  ])('%s is %s', (_, kind, error) => {
    expect(classifyTransportError(error).kind).toBe(kind);
  });

  it('is described without quoting a header value', () => {
    const { reason } = classifyTransportError(new TypeError('Headers.append: "token abc\ndef" is an invalid header value.'));
    expect(reason).toBe('a request header is not valid HTTP (it has a control character, a line break or non-Latin-1 text)');
    expect(classifyTransportError(new RangeError('Invalid string length')).reason).toBe('the answer is larger than the longest text JavaScript can hold');
  });
});

describe('the retry policy', () => {
  const policy = retryPolicy({ maxRetries: 3, retryBaseMs: 100 });

  it('is data: transient statuses and transport failures, a number of attempts, a cap', () => {
    expect([...policy.statuses]).toEqual([500, 502, 503, 504]);
    expect([...policy.failures]).toEqual(['reset', 'refused', 'timeout']);
    expect(policy).toMatchObject({ attempts: 4, baseMs: 100, capMs: BACKOFF_CAP_MS });
  });

  it('retries only what a retry can fix, and only while attempts are left', () => {
    for (const status of [500, 502, 503, 504]) expect(canRetry(policy, { status }, 1)).toBe(true);
    for (const status of [400, 401, 403, 404, 422, 501, 505]) expect(canRetry(policy, { status }, 1)).toBe(false);
    for (const failure of ['reset', 'refused', 'timeout'] as const) expect(canRetry(policy, { failure }, 3)).toBe(true);
    for (const failure of ['unreachable', 'local'] as const) expect(canRetry(policy, { failure }, 1)).toBe(false);
    expect(canRetry(policy, { status: 503 }, 4)).toBe(false);
  });

  it('backs off exponentially with jitter, never past the cap', () => {
    expect([1, 2, 3].map((attempt) => backoffMs(policy, attempt, () => 0.5))).toEqual([100, 200, 400]);
    expect(backoffMs(policy, 1, () => 0)).toBe(50);
    expect(backoffMs(policy, 1, () => 0.999)).toBe(150);
    expect(backoffMs(retryPolicy({ maxRetries: 20, retryBaseMs: 60_000 }), 20, () => 0.999)).toBe(BACKOFF_CAP_MS);
  });
});

describe('an error that is not a GhsqlError, crossing the worker boundary', () => {
  it('is INTERNAL: the client makes every network failure a GhsqlError, so anything else is a bug', () => {
    expect(serializeError(new TypeError('x is undefined'))).toEqual({ code: 'INTERNAL', message: 'x is undefined' });
  });
});
