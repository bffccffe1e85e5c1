/**
 * The contract every trace format implements: lines in, records out. Pure and
 * stateful per trace (a parser may hold records back until it has seen more lines, as
 * blkparse's issue events wait for their completions).
 */
import type { TraceCapabilities, TraceFormat, TraceRecord } from './record.js';

export interface LineParser {
  readonly format: TraceFormat;
  /**
   * One line, text[from, to) without its terminator; `line` is 1-based. Records the line completes
   * are pushed onto `out` (none, one, or several). Returns a message when the line is a
   * bad record, and then changes no state.
   */
  parse(text: string, from: number, to: number, line: number, out: TraceRecord[]): string | undefined;
  /** End of input: pushes the records still held back. */
  finish(out: TraceRecord[]): void;
  /** What this trace can tell, as far as read. */
  capabilities(): TraceCapabilities;
  /** Remarks for the user about what was read (lines ignored and why). */
  notes(): string[];
}
