/**
 * What went wrong when fetch threw instead of answering. Only some failures are the network's, and
 * only some of those can be cured by trying again (retry-policy.ts decides which); the rest are
 * faults on this side, which a retry would only repeat.
 */
export type TransportFailureKind =
  /** The connection broke (reset, closed mid-answer). */
  | 'reset'
  /** Nothing listens at the address (yet). */
  | 'refused'
  /** No answer within timeoutMs. */
  | 'timeout'
  /** The host cannot be found or reached, or its certificate is refused: a setup problem, not a hiccup. */
  | 'unreachable'
  /** A fault in ghsql or in what it was given (an invalid header or method, an answer too large for a string, a bug). */
  | 'local';

export interface TransportFailure {
  kind: TransportFailureKind;
  /** For the message; never quotes a header value. */
  reason: string;
}

const KIND_OF_CODE: Record<string, TransportFailureKind> = {
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  UND_ERR_SOCKET: 'reset',
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENETDOWN: 'unreachable',
  EPROTO: 'unreachable',
};

/** TLS verification failures: the server's certificate is refused, which no retry changes. */
const TLS_CODE = /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$)/;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The error and its causes (fetch wraps the socket's error in `cause`; happy eyeballs in AggregateError). */
function* chain(error: unknown, depth = 0): Generator<ErrorLike> {
  if (depth > 8 || typeof error !== 'object' || error === null) return;
  const like = error as ErrorLike;
  yield like;
  yield* chain(like.cause, depth + 1);
  if (Array.isArray(like.errors)) for (const inner of like.errors) yield* chain(inner, depth + 1);
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export function classifyTransportError(error: unknown): TransportFailure {
  for (const link of chain(error)) {
    if (link.name === 'TimeoutError') return { kind: 'timeout', reason: 'timed out' };
    const code = text(link.code);
    const kind = KIND_OF_CODE[code] ?? (TLS_CODE.test(code) ? 'unreachable' : undefined);
    if (kind === 'reset') return { kind, reason: `the connection was reset (${text(link.message) || code})` };
    if (kind === 'refused') return { kind, reason: `the connection was refused (${text(link.message) || code})` };
    if (kind) return { kind, reason: text(link.message) || code };
  }
  return { kind: 'local', reason: describeLocalFault(error) };
}

function describeLocalFault(error: unknown): string {
  const first = typeof error === 'object' && error !== null ? (error as ErrorLike) : { message: String(error) };
  const message = text(first.message);
  if (first.code === 'ERR_STRING_TOO_LONG' || (first.name === 'RangeError' && /string length|longer than/i.test(message))) {
    return 'the answer is larger than the longest text JavaScript can hold';
  }
  // fetch's message quotes the whole header, and a header may hold the token: say which rule, not the value.
  if (/invalid header (value|name)/i.test(message)) return 'a request header is not valid HTTP (it has a control character, a line break or non-Latin-1 text)';
  const name = text(first.name) || 'Error';
  const cause = [...chain(first.cause)].map((link) => text(link.message)).find(Boolean);
  return `${name}: ${message || '(no message)'}${cause ? ` (${cause})` : ''}`;
}
