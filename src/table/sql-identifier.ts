/** A name as a SQL identifier, safe whatever it contains: "my ""table""". */
export const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
