/**
 * Splitting a trace line into fields and reading numbers from them, without slicing
 * strings: a record line is scanned once and its fields kept as start/end positions in
 * reused arrays. Numbers are strict (digits only, no sign, no exponent, no hex), so
 * "0x10", "1e3" and "" are bad values rather than 16, 1000 and 0.
 */
export const MAX_FIELDS = 32;

export class FieldSplitter {
  readonly start = new Int32Array(MAX_FIELDS);
  readonly end = new Int32Array(MAX_FIELDS);
  count = 0;
  text = '';
  private lineStart = 0;
  private lineEnd = 0;

  /** The line being split, as a string (for messages). */
  line(): string {
    return this.text.slice(this.lineStart, this.lineEnd);
  }

  /** Fields of text[from, to) separated by runs of spaces and tabs; leading and trailing blanks ignored. */
  splitBlank(text: string, from: number, to: number): number {
    this.text = text;
    this.lineStart = from;
    this.lineEnd = to;
    let n = 0;
    let i = from;
    const len = to;
    while (i < len && n < MAX_FIELDS) {
      let c = text.charCodeAt(i);
      while (c === 32 || c === 9) {
        if (++i >= len) break;
        c = text.charCodeAt(i);
      }
      if (i >= len) break;
      const s = i;
      while (i < len && (c = text.charCodeAt(i)) !== 32 && c !== 9) i++;
      this.start[n] = s;
      this.end[n] = i;
      n++;
    }
    this.count = n;
    return n;
  }

  /** Fields of text[from, to) separated by one character each (CSV), blanks around a field trimmed, a field in double quotes unquoted. */
  splitOn(text: string, sep: number, from: number, to: number): number {
    this.text = text;
    this.lineStart = from;
    this.lineEnd = to;
    let n = 0;
    let s = from;
    const len = to;
    for (let i = from; i <= len && n < MAX_FIELDS; i++) {
      if (i < len && text.charCodeAt(i) !== sep) continue;
      let a = s;
      let b = i;
      while (a < b && (text.charCodeAt(a) === 32 || text.charCodeAt(a) === 9)) a++;
      while (b > a && (text.charCodeAt(b - 1) === 32 || text.charCodeAt(b - 1) === 9)) b--;
      if (b - a >= 2 && text.charCodeAt(a) === 34 && text.charCodeAt(b - 1) === 34) {
        a++;
        b--;
      }
      this.start[n] = a;
      this.end[n] = b;
      n++;
      s = i + 1;
    }
    this.count = n;
    return n;
  }

  field(i: number): string {
    return this.text.slice(this.start[i]!, this.end[i]!);
  }

  length(i: number): number {
    return this.end[i]! - this.start[i]!;
  }

  is(i: number, word: string): boolean {
    return this.end[i]! - this.start[i]! === word.length && this.text.startsWith(word, this.start[i]!);
  }

  /** A non-negative integer up to 2^53, or -1 when the field is not one. */
  uint(i: number): number {
    return parseUintAt(this.text, this.start[i]!, this.end[i]!);
  }

  /** A non-negative decimal ("12", "0.000343180", "1.5"), or -1. */
  udecimal(i: number): number {
    return parseUdecimalAt(this.text, this.start[i]!, this.end[i]!);
  }

  /** Seconds with a decimal fraction ("0.000343180") as µs, rounded once (343.18), or -1. */
  secondsAsUs(i: number): number {
    const text = this.text;
    const s = this.start[i]!;
    const e = this.end[i]!;
    const dot = text.indexOf('.', s);
    if (dot < 0 || dot >= e) {
      const whole = parseUintAt(text, s, e);
      return whole < 0 ? -1 : whole * 1e6;
    }
    const whole = parseUintAt(text, s, dot);
    const digits = e - dot - 1;
    const frac = digits === 0 || digits > 15 ? -1 : parseUintAt(text, dot + 1, e);
    if (whole < 0 || frac < 0) return -1;
    return whole * 1e6 + (digits <= 6 ? frac * 10 ** (6 - digits) : frac / 10 ** (digits - 6));
  }

  /** The field as a string, reusing `previous` when equal (so repeated names are one string). */
  intern(i: number, previous: string): string {
    const s = this.start[i]!;
    const e = this.end[i]!;
    if (e - s === previous.length && this.text.startsWith(previous, s)) return previous;
    return this.text.slice(s, e);
  }
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export function parseUintAt(text: string, s: number, e: number): number {
  if (e <= s || e - s > 16) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v <= MAX_SAFE ? v : -1;
}

export function parseUdecimalAt(text: string, s: number, e: number): number {
  const dot = text.indexOf('.', s);
  if (dot < 0 || dot >= e) return parseUintAt(text, s, e);
  const whole = parseUintAt(text, s, dot);
  if (whole < 0 || e - dot - 1 > 15) return -1;
  const frac = e === dot + 1 ? -1 : parseUintAt(text, dot + 1, e);
  if (frac < 0) return -1;
  return whole + frac / 10 ** (e - dot - 1);
}

/** A short quote of a bad line for messages. */
export function excerpt(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text);
}
