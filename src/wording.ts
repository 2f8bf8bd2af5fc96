/**
 * How ghsql's messages name the settings that would fix a problem. A script or notebook that called
 * register() knows its options (`timeoutMs`, `demo: true`), a shell user knows flags (`--timeout`,
 * `--demo`): whoever registers says which, so that every message points at something the reader can
 * change. The CLI passes CLI_WORDING (cli/options.ts); the library's own is the default.
 */
export interface Wording {
  /** Completes "allow more time with …" (a request that timed out). */
  timeout: string;
  /** Completes "allow a longer wait with …" (a rate limit that lifts later). */
  maxWait: string;
  /** Completes "enable it with …" (an action while writes are off). */
  allowWrites: string;
  /** Completes "preview with …". */
  dryRun: string;
  /** Completes "try …" (no token). */
  demo: string;
  /** Completes "… silences this" (a cache that cannot be opened). */
  noCache: string;
  /** What stopped a statement: "interrupted by …". */
  interrupt: string;
  /** The setting a statement ran past: "longer than … allows". */
  statementTimeout: string;
  /** Completes "give it with …" (no container registry known for the API URL). */
  registryUrl: string;
}

export const LIBRARY_WORDING: Wording = {
  timeout: 'the timeoutMs option',
  maxWait: 'the maxWaitMs option',
  allowWrites: 'register(db, { allowWrites: true })',
  dryRun: 'register(db, { dryRun: true })',
  demo: 'register(db, { demo: true })',
  noCache: 'register(db, { cache: false })',
  interrupt: 'interrupt()',
  statementTimeout: 'statementTimeoutMs',
  registryUrl: 'register(db, { registryUrl })',
};
