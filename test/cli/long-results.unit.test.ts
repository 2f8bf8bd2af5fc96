import { describe, expect, it } from 'vitest';
import { formatResult } from '../../dist/cli/formats/index.js';
import { PLAIN } from '../../dist/cli/terminal.js';

describe('a result of 200,000 rows', () => {
  // Far more values than a function call takes as arguments (Math.max(...widths) overflowed the stack).
  const result = { columns: [{ name: 'x', declaredType: null, json: false }], rows: Array.from({ length: 200_000 }, (_, i) => [i + 1]) };

  it.each(['table', 'markdown', 'line'] as const)('is printed as %s', (format) => {
    const text = formatResult(format, result, { headers: true, width: undefined, style: PLAIN });
    expect(text).toMatch(/(│ 200000 │|\| 200000 \||x = 200000)\n/);
  });
});
