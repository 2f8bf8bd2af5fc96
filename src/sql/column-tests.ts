import type { Instruction } from './action-placement.js';

/**
 * Whether a statement's program (EXPLAIN) decides on a virtual-table column's value: reads it with
 * VColumn and lets it, or a value computed from it, reach a comparison or a condition (WHERE, ON,
 * HAVING, CASE). `NOT state = 'active'`, `lower(state) = 'deleted'` and `state || '' = 'deleted'` do;
 * `SELECT state` and `ORDER BY state` do not. A parameter that GitHub defaults when it is not sent
 * (`state`: active) must not be decided on while unbound: the rows would silently be the default's.
 *
 * The values are followed through the opcodes that compute one register from others; an opcode
 * outside that list ends the trail (so the answer errs towards "no": the caller refuses only on "yes").
 */
export function testsColumn(program: readonly Instruction[], column: number): boolean {
  const tainted = new Set<number>();
  for (const { opcode, p1, p2, p3, p4 } of program) {
    if (opcode === 'VColumn') {
      if (p2 === column) tainted.add(p3);
      else tainted.delete(p3);
      continue;
    }
    const reads = inputs(opcode, p1, p2, p3, p4);
    const hit = reads.some((register) => tainted.has(register));
    if (COMPARISONS.has(opcode) || CONDITIONS.has(opcode)) {
      if (hit) return true;
      continue;
    }
    const written = output(opcode, p2, p3);
    if (written === undefined) continue;
    if (hit) tainted.add(written);
    else tainted.delete(written);
  }
  return false;
}

/** Jump on comparing registers p1 and p3. */
const COMPARISONS = new Set(['Eq', 'Ne', 'Lt', 'Le', 'Gt', 'Ge']);
/** Jump on one register's truth or NULL. */
const CONDITIONS = new Set(['If', 'IfNot', 'IsNull', 'NotNull', 'IsType']);
/** p1 and p2 → p3. */
const BINARY = new Set(['Concat', 'Add', 'Subtract', 'Multiply', 'Divide', 'Remainder', 'BitAnd', 'BitOr', 'ShiftLeft', 'ShiftRight', 'And', 'Or']);
/** p1 → p2. */
const UNARY = new Set(['Copy', 'SCopy', 'IntCopy', 'Not', 'BitNot', 'IsTrue']);

function inputs(opcode: string, p1: number, p2: number, p3: number, p4: Instruction['p4']): number[] {
  if (COMPARISONS.has(opcode)) return [p1, p3];
  if (BINARY.has(opcode)) return [p1, p2];
  if (CONDITIONS.has(opcode) || UNARY.has(opcode)) return [p1];
  if (opcode === 'Cast' || opcode === 'Affinity' || opcode === 'RealAffinity') return [p1];
  if (opcode === 'Function' || opcode === 'PureFunc') {
    // p4 is `name(argc)`: the arguments are registers p2 … p2+argc-1.
    const argc = typeof p4 === 'string' ? Number(/\((-?\d+)\)$/.exec(p4)?.[1] ?? 0) : 0;
    return Array.from({ length: Math.max(argc, 0) }, (_, index) => p2 + index);
  }
  return [];
}

function output(opcode: string, p2: number, p3: number): number | undefined {
  if (BINARY.has(opcode) || opcode === 'Function' || opcode === 'PureFunc') return p3;
  if (UNARY.has(opcode)) return p2;
  return undefined;
}
