/**
 * The one error class ghsql throws. `code` says what kind of mistake it is, so callers (the CLI, a
 * notebook) can react without parsing messages; the message itself says what to do about it.
 */
export type GhsqlErrorCode =
  | 'MISSING_PARAMETER'
  | 'INVALID_ARGUMENT'
  | 'WRITES_DISABLED'
  | 'AUTH'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'LIST_LIMIT'
  /** A list changed while it was read (a row came twice): the result would not be the list's. */
  | 'LIST_CHANGED'
  /** A guard refused an action that would break what is kept (a version a tagged container image needs); nothing was sent. */
  | 'PROTECTED'
  | 'BAD_RESPONSE'
  /** GitHub answered with a redirect ghsql will not follow: any redirect of a write, or a read sent to another host. */
  | 'REDIRECT'
  | 'HTTP'
  /** The network failed (after retries, when a retry could help). */
  | 'NETWORK'
  /** A fault in ghsql itself or in what it was handed, not in the network or GitHub: retrying cannot help. */
  | 'INTERNAL'
  /** The statement was stopped: Ctrl-C in the shell, or interrupt() on the registration. */
  | 'INTERRUPTED'
  /** The statement ran past its deadline (statementTimeoutMs). */
  | 'TIMEOUT'
  | 'CLOSED';

export class GhsqlError extends Error {
  override name = 'GhsqlError';
  constructor(
    readonly code: GhsqlErrorCode,
    message: string,
    /** HTTP status of the GitHub response behind this error, when there was one. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The form in which an error crosses the worker boundary (structured clone drops class identity). */
export interface SerializedError {
  code: GhsqlErrorCode;
  message: string;
  status?: number;
}

/** The message of anything thrown: an Error's message, else the value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof GhsqlError) return { code: error.code, message: error.message, status: error.status };
  // The client turns every network failure into a GhsqlError, so anything else is a bug, not the network.
  const message = messageOf(error);
  return { code: 'INTERNAL', message };
}

export function deserializeError(error: SerializedError): GhsqlError {
  return new GhsqlError(error.code, error.message, error.status);
}
