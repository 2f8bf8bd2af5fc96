import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_ENCODED_SECRET_BYTES, redactor, SecretScrubber } from '../../dist/github/redact.js';
import { carriesSecret } from '../support/secret-encodings.js';

// The pure rule behind every redaction: a secret leaves in no encoding a server could echo it in.
// The oracle (test/support/secret-encodings.ts) decodes what it finds instead of encoding the secret,
// so it does not share the implementation's idea of what an encoding looks like.

const TOKEN = ['ghp', 'LeakCanary0123456789abcdefghijklmnop'].join('_');
const b64 = (text: string) => Buffer.from(text).toString('base64');
const b64url = (text: string) => Buffer.from(text).toString('base64url');

describe('redaction', () => {
  const redact = redactor(TOKEN);

  it.each([
    ['raw', TOKEN],
    ['percent-encoded', encodeURIComponent(TOKEN)],
    ['percent-encoded every byte, lower-case hex', [...Buffer.from(TOKEN)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')],
    ['base64', b64(TOKEN)],
    ['base64url', b64url(TOKEN)],
    ['base64 of login:token (basic auth)', b64(`octocat:${TOKEN}`)],
    ['base64 of x-access-token:token', b64(`x-access-token:${TOKEN}`)],
    ['base64url of login:token, unpadded', b64url(`ab:${TOKEN}`)],
    ['base64 of login:token, percent-encoded', encodeURIComponent(b64(`octo:${TOKEN}`))],
  ])('removes the token %s', (_, form) => {
    const text = `the server said: Authorization: Basic ${form} (and more)`;
    const shown = redact(text);
    expect(carriesSecret(shown, TOKEN)).toBe(false);
    expect(shown).toContain('[REDACTED]');
    expect(shown.startsWith('the server said: Authorization: Basic ')).toBe(true);
  });

  it('keeps text that carries no secret as it is, base64 runs and digests included', () => {
    const text = `GET /v2/acme/app/manifests/sha256:${'ab12'.repeat(16)} ${b64('octocat:another-token-entirely-0123456789')} 100% done`;
    expect(redact(text)).toBe(text);
    expect(redactor(undefined)(text)).toBe(text);
  });

  it('removes a secret added later, as well as the first', () => {
    const scrubber = new SecretScrubber([TOKEN]);
    scrubber.add('PACKAGE-TOKEN-5f3a');
    const shown = scrubber.scrub(`?token=PACKAGE-TOKEN-5f3a ${b64(`x:PACKAGE-TOKEN-5f3a`)} ${TOKEN}`);
    expect(shown).toBe('?token=[REDACTED] [REDACTED] [REDACTED]');
  });

  it('property: any login, any token, at any alignment inside a longer base64 or base64url text, in any encoding, is removed', () => {
    const visible = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.!~*()/+=%:@'.split('')), minLength: MIN_ENCODED_SECRET_BYTES, maxLength: 60 });
    const anyText = fc.string({ maxLength: 20 });
    const encoding = fc.constantFrom<(bytes: Buffer) => string>(
      (bytes) => bytes.toString('base64'),
      (bytes) => bytes.toString('base64').replace(/=+$/, ''),
      (bytes) => bytes.toString('base64url'),
      (bytes) => encodeURIComponent(bytes.toString('base64')),
      (bytes) => encodeURIComponent(bytes.toString('utf8')),
      (bytes) => bytes.toString('utf8'),
    );
    fc.assert(
      fc.property(visible, anyText, anyText, anyText, anyText, encoding, (token, login, after, before, around, encode) => {
        const encoded = encode(Buffer.from(`${login}:${token}${after}`));
        const text = `${before} ${encoded} ${around}`;
        const shown = redactor(token)(text);
        expect(carriesSecret(shown, token)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('property: a secret in text that carries it elsewhere, too, goes from every place', () => {
    fc.assert(
      fc.property(fc.string({ minLength: MIN_ENCODED_SECRET_BYTES, maxLength: 40 }), fc.array(fc.nat(2), { minLength: 1, maxLength: 4 }), (secret, prefixes) => {
        const text = prefixes.map((length) => b64(`${'p'.repeat(length)}${secret}`)).join(' / ');
        expect(carriesSecret(redactor(secret)(text), secret)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
