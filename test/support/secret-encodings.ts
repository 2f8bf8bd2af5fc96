// The tests' oracle for "does this text carry the secret?", independent of src/github/redact.ts: it
// decodes what it finds (percent-escapes; every base64 or base64url run, at each of its four
// character offsets) and looks for the secret's bytes, instead of encoding the secret itself.

/** The text with every %XX replaced by its byte, as bytes. */
function percentDecoded(text: string): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (const match of text.matchAll(/%([0-9A-Fa-f]{2})/g)) {
    parts.push(Buffer.from(text.slice(from, match.index)), Buffer.from([parseInt(match[1]!, 16)]));
    from = match.index + match[0].length;
  }
  parts.push(Buffer.from(text.slice(from)));
  return Buffer.concat(parts);
}

/** Each maximal run of base64 or base64url characters, decoded from each of its first four offsets. */
function base64Decodings(text: string): Buffer[] {
  return [...text.matchAll(/[A-Za-z0-9+/_=-]+/g)].flatMap(([run]) => {
    const standard = run.replace(/-/g, '+').replace(/_/g, '/').replace(/=/g, '');
    return [0, 1, 2, 3].map((offset) => Buffer.from(standard.slice(offset), 'base64'));
  });
}

/** Whether `text` shows `secret` raw, percent-encoded, or in base64/base64url (of it or of anything around it), or both nested. */
export function carriesSecret(text: string, secret: string): boolean {
  const wanted = Buffer.from(secret);
  const plain = [Buffer.from(text), percentDecoded(text)];
  const decoded = plain.flatMap((bytes) => base64Decodings(bytes.toString('latin1')));
  return [...plain, ...decoded].some((bytes) => bytes.includes(wanted));
}
