/** What a secret becomes in text that leaves ghsql. */
const PLACEHOLDER = '[REDACTED]';

/**
 * The shortest secret whose base64 forms are recognised: at each of the three byte alignments it
 * must fill one whole 3-byte group, whose 4 characters are then fixed whatever surrounds it.
 * Shorter secrets are removed in their raw, percent-encoded and JSON-escaped forms only.
 */
export const MIN_ENCODED_SECRET_BYTES = 5;

/**
 * A maximal run of base64 or base64url characters, with the percent-escapes of `+`, `/` and `=` a
 * URL gives them: what a server echoing `Authorization: Basic …` or an encoded URL would send.
 */
const BASE64_RUN = /(?:[A-Za-z0-9+/=_-]|%(?:2[BbFf]|3[Dd]))+/g;

/**
 * Removes secrets (the GitHub token, a restore's package token) from text that is about to leave
 * ghsql: an error message, a trace line, an action's outcome, a cached body. It is the last line of
 * defence for text that came from elsewhere, such as a server's error body echoing the request, so it
 * knows every encoding a server could echo a secret in: raw, percent-encoded (either hex case),
 * JSON-escaped, and base64 or base64url, padded or not, of the secret alone or inside anything longer
 * (`login:token` in a basic-auth header, at any alignment). A base64 run carrying a secret goes whole.
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>();
  /** The secrets' base64 cores (standard alphabet), which any base64 text carrying them contains. */
  private readonly cores = new Set<string>();
  /** The raw, percent-encoded and JSON-escaped forms of every secret; undefined until one is added. */
  private literal?: RegExp;

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) if (secret) this.add(secret);
  }

  add(secret: string): void {
    if (secret === '' || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    for (const core of base64Cores(secret)) this.cores.add(core);
    // Longest first, so a secret containing another goes whole.
    const patterns = [...this.secrets].sort((a, b) => b.length - a.length).map(literalPattern);
    this.literal = new RegExp(patterns.join('|'), 'g');
  }

  /** The text without any secret, in any of the encodings above. */
  readonly scrub = (text: string): string => {
    if (this.literal === undefined) return text;
    const withoutLiteral = text.replace(this.literal, PLACEHOLDER);
    if (this.cores.size === 0) return withoutLiteral;
    return withoutLiteral.replace(BASE64_RUN, (run) => (this.carries(run) ? PLACEHOLDER : run));
  };

  private carries(run: string): boolean {
    const standard = run
      .replace(/%2[Bb]/g, '+')
      .replace(/%2[Ff]/g, '/')
      .replace(/%3[Dd]/g, '=')
      .replace(/-/g, '+')
      .replace(/_/g, '/');
    for (const core of this.cores) if (standard.includes(core)) return true;
    return false;
  }
}

/** A function that removes these secrets (see SecretScrubber); the identity when there is none. */
export function redactor(...secrets: Array<string | undefined>): (text: string) => string {
  return new SecretScrubber(secrets).scrub;
}

/**
 * The base64 of the secret's bytes from offset 0, 1 and 2, cut to whole 3-byte groups. Whatever bytes
 * come before the secret (a login and a colon), it starts at one of these offsets modulo 3, so the
 * base64 of the whole carries the matching core verbatim: its groups hold the secret's bytes only.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret);
  if (bytes.length < MIN_ENCODED_SECRET_BYTES) return [];
  return [0, 1, 2].map((skip) => bytes.subarray(skip, skip + Math.floor((bytes.length - skip) / 3) * 3).toString('base64'));
}

/** A pattern matching the secret with each character as itself, percent-encoded (either hex case) or JSON-escaped. */
function literalPattern(secret: string): string {
  return [...secret].map((character) => `(?:${characterForms(character).join('|')})`).join('');
}

function characterForms(character: string): string[] {
  const percent = [...Buffer.from(character)].map((byte) => `%${hexDigitPattern(byte >> 4)}${hexDigitPattern(byte & 15)}`).join('');
  const json = JSON.stringify(character).slice(1, -1);
  const forms = [escapeRegExp(character), percent];
  if (json !== character) forms.push(escapeRegExp(json));
  if (character === '/') forms.push('\\\\/'); // JSON may escape a slash too
  if (character === ' ') forms.push('\\+'); // a form-encoded space
  return forms;
}

function hexDigitPattern(digit: number): string {
  const hex = digit.toString(16);
  return digit < 10 ? hex : `[${hex}${hex.toUpperCase()}]`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/**
 * A value from a server, as a message quotes it: whole when at most `max` characters, else by its
 * length only. Never cut: a cut-off value could show part of a secret that redaction would not recognise.
 */
export function quotedWhole(value: string, max: number): string {
  return value.length <= max ? JSON.stringify(value) : `(a ${value.length}-character value)`;
}
