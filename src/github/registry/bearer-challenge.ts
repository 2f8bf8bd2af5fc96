/** A registry's `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` (RFC 6750, distribution spec). */
export interface BearerChallenge {
  realm: string;
  service?: string;
  scope?: string;
}

/** One auth-param: a token, `=`, then a quoted string (with `\` escapes) or a token. */
const PARAMETER = /\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s",]*))\s*(?:,|$)/y;

/** The Bearer challenge in the header, or undefined when there is none or it names no realm. */
export function parseBearerChallenge(header: string | null): BearerChallenge | undefined {
  if (header === null) return undefined;
  const start = /^\s*Bearer\s+/i.exec(header);
  if (!start) return undefined;
  const values: Record<string, string> = {};
  PARAMETER.lastIndex = start[0].length;
  while (PARAMETER.lastIndex < header.length) {
    const match = PARAMETER.exec(header);
    // A second challenge (`, Basic realm=…`) or anything unparsable ends the Bearer one.
    if (!match) break;
    const [, name = '', quoted, bare] = match;
    values[name.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
  }
  const { realm, service, scope } = values;
  if (!realm) return undefined;
  return { realm, ...(service ? { service } : {}), ...(scope ? { scope } : {}) };
}
