// A small synthetic table that exercises the engine without GitHub's names: an INTEGER key, a
// query-only parameter (edition) that items do not carry, and a nested field (details.author.name).
// Plain JavaScript: the worker thread imports it as it is.

/** @type {import('../../../dist/index.js').Resource} */
export const shelfBooks = {
  table: 'shelf_books',
  description: 'Books on a shelf.',
  columns: [
    { name: 'id', type: 'INTEGER', description: 'Book id.' },
    { name: 'title', type: 'TEXT', description: 'Title.' },
    { name: 'author', type: 'TEXT', from: { field: 'details.author.name' }, description: 'Nested field.' },
    { name: 'details', type: 'JSON', description: 'JSON.' },
    { name: 'shelf', type: 'TEXT', from: { parameter: 'shelf' }, description: 'The shelf asked for.' },
    { name: 'book_id', type: 'INTEGER', from: { field: 'id' }, description: 'Same as id; routes to the get.' },
    {
      name: 'edition',
      type: 'TEXT',
      from: { parameter: 'edition', otherwise: { derive: (item) => (item.print === 1 ? 'first' : 'later') } },
      description: 'Query-only on the list; derived from print on a get.',
    },
  ],
  key: ['id'],
  parameters: [
    { column: 'shelf', example: 'a', description: 'Shelf.' },
    { column: 'book_id', example: '1', description: 'Book.' },
    { column: 'edition', values: ['first', 'later'], example: 'first', description: 'Edition filter.' },
  ],
  methods: [
    { operationId: 'shelves/get-book', route: 'GET /shelves/{shelf}/books/{book_id}', notFoundIsEmpty: true },
    { operationId: 'shelves/list-books', route: 'GET /shelves/{shelf}/books', query: { optional: ['edition'] }, paginated: {} },
  ],
  schema: (z) => z.object({ id: z.number().int(), title: z.string(), print: z.number().int(), details: z.object({ author: z.object({ name: z.string() }) }) }),
  actions: [],
};

/** The same books, with a list that holds every book a get can answer: a key it lacks needs no get. */
export const completeShelfBooks = {
  ...shelfBooks,
  table: 'complete_shelf_books',
  methods: shelfBooks.methods.map((method) => (method.paginated ? { ...method, holdsEveryGetAnswer: true } : method)),
};

export const resources = [shelfBooks, completeShelfBooks];
