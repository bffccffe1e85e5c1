/**
 * Failures outside blocksim's own code (a file that cannot be read or written, a tool
 * that is missing or fails). The CLI prints the message and exits 3.
 */
export class OutsideError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutsideError';
  }
}
