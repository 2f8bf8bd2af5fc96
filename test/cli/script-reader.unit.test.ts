import { describe, expect, it } from 'vitest';
import { ScriptReader, type ScriptItem } from '../../dist/cli/script.js';

function read(text: string): ScriptItem[] {
  const reader = new ScriptReader();
  return [...text.split('\n').flatMap((line) => reader.push(line)), ...reader.finish()];
}

describe('ScriptReader', () => {
  it('splits at semicolons, not those in strings, quoted names or comments', () => {
    expect(read(`SELECT 'a;b', "c;d", [e;f], \`g;h\`; -- i;j\nSELECT /* k; */ 2;`)).toEqual([
      { kind: 'sql', text: `SELECT 'a;b', "c;d", [e;f], \`g;h\`;`, line: 1 },
      { kind: 'sql', text: 'SELECT /* k; */ 2;', line: 2 },
    ]);
  });

  it('handles doubled quotes inside strings', () => {
    expect(read("SELECT 'it''s; fine';")).toEqual([{ kind: 'sql', text: "SELECT 'it''s; fine';", line: 1 }]);
  });

  it('numbers statements by the line they start on and runs a last one without ;', () => {
    expect(read('\n-- heading\n\nSELECT\n  1;\n\nSELECT 2')).toEqual([
      { kind: 'sql', text: 'SELECT\n  1;', line: 4 },
      { kind: 'sql', text: 'SELECT 2', line: 7 },
    ]);
  });

  it('keeps a trigger body together until END;', () => {
    const trigger = 'CREATE TEMP TRIGGER t AFTER INSERT ON x BEGIN\n  INSERT INTO y VALUES (1);\n  DELETE FROM z;\nEND;';
    expect(read(`${trigger}\nSELECT 1;`)).toEqual([
      { kind: 'sql', text: trigger, line: 1 },
      { kind: 'sql', text: 'SELECT 1;', line: 5 },
    ]);
  });

  it('does not end a trigger body at the END of a CASE', () => {
    const trigger = "CREATE TRIGGER t AFTER INSERT ON x BEGIN\n  UPDATE x SET v = CASE WHEN NEW.v > 0 THEN 1 ELSE 0 END;\nEND;";
    expect(read(`${trigger}\nSELECT 1;`)).toEqual([
      { kind: 'sql', text: trigger, line: 1 },
      { kind: 'sql', text: 'SELECT 1;', line: 4 },
    ]);
  });

  it('takes dot-commands only between statements', () => {
    expect(read(".mode csv\nSELECT\n.5 AS half;\n  .headers off")).toEqual([
      { kind: 'dot', text: '.mode csv', line: 1 },
      { kind: 'sql', text: 'SELECT\n.5 AS half;', line: 2 },
      { kind: 'dot', text: '.headers off', line: 4 },
    ]);
  });

  it('knows when a statement is waiting for its end, and forgets it on clear()', () => {
    const reader = new ScriptReader();
    expect(reader.push('SELECT 1,')).toEqual([]);
    expect(reader.isPending).toBe(true);
    reader.clear();
    expect(reader.isPending).toBe(false);
    expect(reader.push('/* an open')).toEqual([]);
    expect(reader.isPending).toBe(true);
    expect(reader.push('.not a command */ SELECT 3;')).toEqual([{ kind: 'sql', text: 'SELECT 3;', line: 3 }]);
  });
});
