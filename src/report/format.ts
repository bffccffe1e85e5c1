/** Numbers with units for people: latencies, sizes, rates. */
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
