/** Numbers with units for people: latencies, sizes, rates. */

/** x.toFixed(digits) without a minus sign on a value that rounds to zero ("-0.00"). */
export function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** A relative change as a signed percentage: +12.5 %, -3.0 %, 0.0 %. */
export function formatChange(ratio: number, digits = 1): string {
  if (!Number.isFinite(ratio)) return '-';
  const s = fixed(ratio * 100, digits);
  return `${ratio > 0 && Number(s) !== 0 ? '+' : ''}${s} %`;
}
export function formatLatencyNs(ns: number): string {
  if (!Number.isFinite(ns)) return '-';
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e4) return `${(ns / 1e3).toFixed(0)} µs`;
  return `${(ns / 1e3).toFixed(1)} µs`;
}

export function formatIops(iops: number): string {
  if (iops >= 1e6) return `${(iops / 1e6).toFixed(2)} M`;
  if (iops >= 1e4) return `${(iops / 1e3).toFixed(1)} k`;
  return iops.toFixed(0);
}

export function formatMiBps(bytesPerSec: number): string {
  return (bytesPerSec / 2 ** 20).toFixed(1);
}
