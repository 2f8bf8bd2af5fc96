// Writes are spaced a second apart against GitHub, as it asks, and not at all against a server on
// this machine (the stand-in, --demo), unless the interval is given.

import { describe, expect, it } from 'vitest';
import { writeIntervalFor } from '../../dist/github/client-options.js';

describe('the default write spacing', () => {
  it('is a second for GitHub, none for loopback, and the given interval wherever one is given', () => {
    expect(writeIntervalFor({ baseUrl: 'https://api.github.com' })).toBe(1_000);
    expect(writeIntervalFor({ baseUrl: 'https://ghe.example.com/api/v3' })).toBe(1_000);
    expect(writeIntervalFor({ baseUrl: 'http://127.0.0.1:4010' })).toBe(0);
    expect(writeIntervalFor({ baseUrl: 'http://localhost:4010/api/v3' })).toBe(0);
    expect(writeIntervalFor({ baseUrl: 'http://127.0.0.1:4010', writeIntervalMs: 1_000 })).toBe(1_000);
    expect(writeIntervalFor({ baseUrl: 'https://api.github.com', writeIntervalMs: 0 })).toBe(0);
  });
});
