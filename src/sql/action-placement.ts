/**
 * Where a statement calls an action, read from SQLite's own program for it (EXPLAIN): an action may
 * change GitHub only for rows the statement returns, in the order it returns them. SQLite computes a
 * result column before it sorts (ORDER BY), de-duplicates (DISTINCT, UNION), limits after sorting,
 * or filters (an action in WHERE), so a call placed there runs for rows the statement then drops or
 * reorders: "delete the 2 oldest" (ORDER BY … LIMIT 2) would delete every row.
 *
 * The rule, on the program: from each call of an action, the path to the row's end must be plain
 * expression code ending in ResultRow (the row is returned), AggStep (an aggregate such as count()
 * takes it) or a write to a table of the user's (UPDATE … SET x = action(…)). Anything else on the way
 * (an insert into a sorter or temporary index, a coroutine's Yield, a jump that skips the row) means
 * SQLite would call the action for a row it has not yet decided to return, and the statement is refused
 * before any call. The rule is conservative: an opcode it does not know counts as unsafe.
 */

/** One instruction of EXPLAIN's output. */
export interface Instruction {
  addr: number;
  opcode: string;
  p1: number;
  p2: number;
  p3: number;
  p4: string | number | null;
}

/** Instructions that end a row's path: it is returned, aggregated, or written to the user's table. */
const ROW_ENDS = new Set(['ResultRow', 'AggStep', 'AggStep1']);
const WRITES = new Set(['Insert', 'IdxInsert']);

/** Expression code: computes values into registers, never ends or skips the row. */
const EXPRESSION = new Set([
  'Function', 'PureFunc', 'Copy', 'SCopy', 'IntCopy', 'Move', 'Integer', 'Int64', 'Real', 'String8', 'String', 'Null', 'SoftNull',
  'Blob', 'Variable', 'Add', 'Subtract', 'Multiply', 'Divide', 'Remainder', 'Concat', 'BitAnd', 'BitOr', 'ShiftLeft',
  'ShiftRight', 'BitNot', 'Not', 'IsTrue', 'Cast', 'RealAffinity', 'Affinity', 'ZeroOrNull', 'Column', 'Rowid', 'CollSeq',
  'MakeRecord', 'Noop', 'ReleaseReg', 'Offset', 'Sequence', 'NewRowid', 'VColumn', 'AggValue', 'Explain',
]);

/** Jumps within an expression (CASE, coalesce, comparisons): safe when they land before the row's end. */
const JUMPS = new Set(['Goto', 'If', 'IfNot', 'IsNull', 'NotNull', 'Eq', 'Ne', 'Lt', 'Le', 'Gt', 'Ge', 'ElseEq', 'IsType', 'Jump', 'Once']);

export interface Misplaced {
  action: string;
  /** Why SQLite would call it for rows it may not return, in words a user can act on. */
  reason: string;
}

/** The first action call whose row is not yet final when it runs, or undefined when every call is placed safely. */
export function misplacedAction(program: readonly Instruction[], actions: ReadonlySet<string>): Misplaced | undefined {
  const writable = new Set(program.filter((instruction) => instruction.opcode === 'OpenWrite').map((instruction) => instruction.p1));
  for (const [index, instruction] of program.entries()) {
    const action = calledAction(instruction, actions);
    if (action === undefined) continue;
    const reason = pathToRowEnd(program, index, writable);
    if (reason) return { action, reason };
  }
  return undefined;
}

/** The action an instruction calls (EXPLAIN shows `name(argc)` in p4), if it calls one. */
function calledAction({ opcode, p4 }: Instruction, actions: ReadonlySet<string>): string | undefined {
  if (!(opcode === 'Function' || opcode === 'PureFunc') || typeof p4 !== 'string') return undefined;
  const name = p4.slice(0, p4.lastIndexOf('(')).toLowerCase();
  return actions.has(name) ? name : undefined;
}

/** Undefined when the row's path from the call at `start` is safe; otherwise why not. */
function pathToRowEnd(program: readonly Instruction[], start: number, writable: ReadonlySet<number>): string | undefined {
  const end = program.findIndex((instruction, index) => index > start && (ROW_ENDS.has(instruction.opcode) || WRITES.has(instruction.opcode)));
  if (end < 0) return 'its value is not returned as a row';
  const last = program[end]!;
  if (WRITES.has(last.opcode) && !writable.has(last.p1)) return unsafeStep(last.opcode);
  const endAddr = last.addr;
  for (const instruction of program.slice(start + 1, end)) {
    if (JUMPS.has(instruction.opcode)) {
      const targets = instruction.opcode === 'Jump' ? [instruction.p1, instruction.p2, instruction.p3] : [instruction.p2];
      if (targets.some((target) => target > endAddr || target <= program[start]!.addr)) return 'the row may be skipped after the call (a WHERE or HAVING condition on its value, DISTINCT or a join condition)';
    } else if (!EXPRESSION.has(instruction.opcode)) {
      return unsafeStep(instruction.opcode);
    }
  }
  return undefined;
}

function unsafeStep(opcode: string): string {
  switch (opcode) {
    case 'SorterInsert':
    case 'IdxInsert':
    case 'Insert':
      return 'SQLite calls it before it sorts, limits or de-duplicates the rows (ORDER BY with LIMIT or OFFSET, DISTINCT, UNION, a window)';
    case 'Found':
    case 'NotFound':
    case 'NoConflict':
      return 'SQLite calls it before it drops duplicate rows (DISTINCT, UNION, GROUP BY on its value)';
    case 'Yield':
    case 'Return':
      return 'it is called inside a subquery (FROM (SELECT …), INSERT … SELECT, a scalar subquery), whose rows the outer statement may reorder, limit or drop';
    default:
      return `SQLite's program does something (${opcode}) between the call and the returned row that ghsql cannot prove keeps the row`;
  }
}
