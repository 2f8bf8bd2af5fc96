import { describe, expect, it } from 'vitest';
import { pad, textWidth, truncate } from '../../dist/cli/formats/values.js';

describe('terminal text width', () => {
  it.each([
    ['left-pad', 8],
    ['ünïcødé', 7],
    ['名前', 4],
    ['👍', 2],
    ['👨‍👩‍👧', 2],
    ['e\u0301', 1],
  ])('measures %j as %i columns', (text, width) => {
    expect(textWidth(text)).toBe(width);
  });

  it('cuts wide text to the columns it may use, and pads what is left', () => {
    const cut = truncate('名前名前名前', 7);
    expect(cut).toBe('名前名…');
    expect(textWidth(pad(cut, 7, false))).toBe(7);
  });
});
