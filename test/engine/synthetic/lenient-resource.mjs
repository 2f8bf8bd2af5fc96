// shelf_books as an older ghsql might have described it: the same table and columns, a schema that allows a null title.
import { shelfBooks } from './resource.mjs';

export const resources = [{ ...shelfBooks, schema: (z) => z.object({ id: z.number().int(), title: z.string().nullable(), print: z.number().int(), details: z.object({ author: z.object({ name: z.string() }) }) }) }];
