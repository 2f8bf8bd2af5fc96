import type { Instruction } from './action-placement.js';

/** EXPLAIN's rows carry p5 too: an aggregate's argument count. */
type ExplainedInstruction = Instruction & { p5?: number };

/**
 * Whether a statement's program (EXPLAIN) decides on a virtual-table column's value: reads it with
 * VColumn and lets it, or a value computed from it, reach a comparison or a condition (WHERE, ON,
 * HAVING, CASE). `NOT state = 'active'`, `lower(state) = 'deleted'` and `state || '' = 'deleted'` do;
 * `SELECT state` and `ORDER BY state` do not. A parameter that GitHub defaults when it is not sent
 * (`state`: active) must not be decided on while unbound: the rows would silently be the default's.
 *
 * The values are followed through the opcodes that compute one register from others, and through
 * the rows SQLite stores on the way (a sorter for GROUP BY, an ephemeral table for a MATERIALIZED or
 * recursive CTE, an aggregate's accumulator): a record remembers which of its fields carry the
 * value, and so does the cursor it is written to, so a field read back from it carries it again. An opcode outside
 * these ends the trail (so the answer errs towards "no": the caller refuses only on "yes").
 */
export function testsColumn(program: readonly ExplainedInstruction[], column: number): boolean {
  const trail = new Trail();
  for (const { opcode, p1, p2, p3, p4, p5 } of program) {
    if (opcode === 'VColumn') {
      trail.set(p3, p2 === column);
      continue;
    }
    if (trail.stores(opcode, p1, p2, p3)) continue;
    const reads = inputs(opcode, p1, p2, p3, p4, p5);
    const hit = reads.some((register) => trail.carries(register));
    if (COMPARISONS.has(opcode) || CONDITIONS.has(opcode)) {
      if (hit) return true;
      continue;
    }
    const written = output(opcode, p1, p2, p3);
    if (written !== undefined) trail.set(written, hit || (AGGREGATES.has(opcode) && trail.carries(written)));
    // A register given another value no longer carries the column's.
    else for (const register of overwritten(opcode, p1, p2, p3)) trail.set(register, false);
  }
  return false;
}

/**
 * Which registers carry the column's value, which fields of the records in registers do, and which
 * fields of the rows a cursor holds. A pseudo-cursor reads the record in its register.
 */
class Trail {
  private readonly registers = new Set<number>();
  private readonly records = new Map<number, ReadonlySet<number>>();
  private readonly cursors = new Map<number, Set<number>>();
  private readonly pseudo = new Map<number, number>();

  carries(register: number): boolean {
    return this.registers.has(register);
  }

  set(register: number, carries: boolean): void {
    if (carries) this.registers.add(register);
    else this.registers.delete(register);
    this.records.delete(register);
  }

  /** Follows an opcode that moves rows rather than values; false if it is not one. */
  stores(opcode: string, p1: number, p2: number, p3: number): boolean {
    switch (opcode) {
      case 'MakeRecord': {
        // Registers p1 … p1+p2-1 → a record in p3.
        const fields = new Set<number>();
        for (let field = 0; field < p2; field++) if (this.registers.has(p1 + field)) fields.add(field);
        this.set(p3, false);
        if (fields.size > 0) this.records.set(p3, fields);
        return true;
      }
      case 'Insert':
      case 'IdxInsert':
      case 'SorterInsert': {
        // The record in p2 → a row of cursor p1.
        const target = this.cursorFields(p1);
        for (const field of this.records.get(p2) ?? []) target.add(field);
        return true;
      }
      case 'SorterData':
      case 'RowData': {
        // Cursor p1's current row (a sorter's, a recursive CTE's queue's) → a record in p2.
        const fields = this.cursors.get(p1);
        this.set(p2, false);
        if (fields && fields.size > 0) this.records.set(p2, new Set(fields));
        return true;
      }
      case 'OpenPseudo':
        // Cursor p1 reads the record in register p2.
        this.pseudo.set(p1, p2);
        return true;
      case 'OpenDup':
        // Cursor p1 reads cursor p2's table.
        this.cursors.set(p1, this.cursorFields(p2));
        return true;
      case 'Column': {
        // Field p2 of cursor p1's current row → p3.
        const record = this.pseudo.get(p1);
        const fields = record === undefined ? this.cursors.get(p1) : this.records.get(record);
        this.set(p3, fields?.has(p2) === true);
        return true;
      }
      default:
        return false;
    }
  }

  private cursorFields(cursor: number): Set<number> {
    let fields = this.cursors.get(cursor);
    if (!fields) {
      fields = new Set();
      this.cursors.set(cursor, fields);
    }
    return fields;
  }
}

/** Jump on comparing registers p1 and p3. */
const COMPARISONS = new Set(['Eq', 'Ne', 'Lt', 'Le', 'Gt', 'Ge']);
/** Jump on one register's truth or NULL. */
const CONDITIONS = new Set(['If', 'IfNot', 'IsNull', 'NotNull', 'IsType']);
/** p1 and p2 → p3. */
const BINARY = new Set(['Concat', 'Add', 'Subtract', 'Multiply', 'Divide', 'Remainder', 'BitAnd', 'BitOr', 'ShiftLeft', 'ShiftRight', 'And', 'Or']);
/** p1 → p2. */
const UNARY = new Set(['Copy', 'SCopy', 'IntCopy', 'Not', 'BitNot', 'IsTrue']);
/** An aggregate's arguments p2 … p2+p5-1 → its accumulator p3, which keeps what it carried. */
const AGGREGATES = new Set(['AggStep', 'AggStep1']);

function inputs(opcode: string, p1: number, p2: number, p3: number, p4: Instruction['p4'], p5: number | undefined): number[] {
  if (COMPARISONS.has(opcode)) return [p1, p3];
  if (BINARY.has(opcode)) return [p1, p2];
  if (CONDITIONS.has(opcode) || UNARY.has(opcode)) return [p1];
  if (opcode === 'Cast' || opcode === 'Affinity' || opcode === 'RealAffinity') return [p1];
  if (opcode === 'AggFinal' || opcode === 'AggValue') return [p1];
  if (AGGREGATES.has(opcode)) return registersFrom(p2, p5 ?? 0);
  if (opcode === 'Function' || opcode === 'PureFunc') {
    // p4 is `name(argc)`: the arguments are registers p2 … p2+argc-1. A function of any number of
    // arguments (printf, max, json_array…) shows -1, and EXPLAIN does not say how many it was given:
    // every register from p2 up to SQLite's limit on arguments may be one. Registers are cleared as
    // they are given other values, so this refuses more only where the column is still in a register.
    const argc = typeof p4 === 'string' ? Number(/\((-?\d+)\)$/.exec(p4)?.[1] ?? 0) : 0;
    return registersFrom(p2, argc < 0 ? MAX_FUNCTION_ARGUMENTS : argc);
  }
  return [];
}

/** SQLITE_MAX_FUNCTION_ARG's default. */
const MAX_FUNCTION_ARGUMENTS = 127;

/** Registers that opcodes outside the trail's give a value of their own (constants, row ids, NULL). */
function overwritten(opcode: string, p1: number, p2: number, p3: number): number[] {
  if (CONSTANTS.has(opcode)) return [p2];
  if (opcode === 'Null') return registersFrom(p2, Math.max(p3 - p2 + 1, 1));
  if (opcode === 'SoftNull') return [p1];
  return [];
}

/** Opcodes that put a value of their own in p2. */
const CONSTANTS = new Set(['String8', 'String', 'Integer', 'Int64', 'Real', 'Blob', 'Variable', 'Rowid', 'Sequence', 'Count']);

const registersFrom = (first: number, count: number) => Array.from({ length: Math.max(count, 0) }, (_, index) => first + index);

function output(opcode: string, p1: number, p2: number, p3: number): number | undefined {
  if (BINARY.has(opcode) || opcode === 'Function' || opcode === 'PureFunc' || AGGREGATES.has(opcode)) return p3;
  if (opcode === 'AggFinal') return p1;
  if (opcode === 'AggValue') return p3;
  if (UNARY.has(opcode)) return p2;
  return undefined;
}
