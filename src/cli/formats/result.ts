import type Database from 'better-sqlite3';
import { tables } from '../../index.js';
import { redactSecrets } from '../secrets.js';

export interface ResultColumn {
  name: string;
  /** The declared type SQLite reports (INTEGER, TEXT…), or null for an expression. */
  declaredType: string | null;
  /** Holds JSON text from a ghsql table (owner, repository): nested in json/ndjson output. */
  json: boolean;
}

/** The rows of one statement, each an array in column order (names may repeat: `a.name, b.name`). */
export interface ResultSet {
  columns: ResultColumn[];
  rows: unknown[][];
}

/**
 * Describes a statement's columns; JSON columns are found by the ghsql column they come from. A
 * column without AS is named by its expression's text, so a secret argument in it is redacted.
 */
export function resultColumns(definitions: Database.ColumnDefinition[]): ResultColumn[] {
  return definitions.map((definition) => {
    const table = tables.find((candidate) => candidate.name === definition.table);
    const json = table?.resource.columns.some((column) => column.name === definition.column && column.type === 'JSON') ?? false;
    return { name: redactSecrets(definition.name).text, declaredType: definition.type, json };
  });
}
