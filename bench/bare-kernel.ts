/**
 * A reference point, not product code: the same closed queueing model (4 × 16 clients,
 * 8 servers, exponential service) on a bare binary heap of callbacks with no statistics,
 * no I/O records and no domain objects. It bounds what any kernel could reach here.
 */
import { Rng } from '../src/random/rng.js';

export function bareKernel(completions: number): number {
  const cap = 256;
  const time = new Float64Array(cap);
  const ids = new Int32Array(cap);
  let n = 0;
  const push = (t: number, id: number): void => {
    let i = n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (time[p]! <= t) break;
      time[i] = time[p]!;
      ids[i] = ids[p]!;
      i = p;
    }
    time[i] = t;
    ids[i] = id;
  };
  const pop = (): void => {
    const last = --n;
    const t = time[last]!;
    const id = ids[last]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && time[c + 1]! < time[c]!) c++;
      if (t <= time[c]!) break;
      time[i] = time[c]!;
      ids[i] = ids[c]!;
      i = c;
    }
    time[i] = t;
    ids[i] = id;
  };
  const rng = Rng.fromSeed(1);
  const servers = 8;
  let waiting = 64 - servers;
  let now = 0;
  for (let s = 0; s < servers; s++) push(-100 * Math.log(1 - rng.next()), s);
  let done = 0;
  while (done < completions) {
    now = time[0]!;
    const id = ids[0]!;
    pop();
    done++;
    waiting++; // the client that finished issues again
    if (waiting > 0) {
      waiting--;
      push(now + -100 * Math.log(1 - rng.next()), id);
    }
  }
  return now;
}
