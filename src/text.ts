/** "1 row", "2 rows": a count with its noun, the count in the en-US style (1,234). */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
