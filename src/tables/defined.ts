import { defineTables } from '../table/define.js';
import { resources } from './index.js';

export type { DefinedTable } from '../table/define.js';

/** ghsql's own tables, checked and with their derived facts (required parameters, action signatures): what `.schema` and `--help` show. */
export const tables = defineTables(resources);
