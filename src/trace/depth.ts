/**
 * I/Os in flight, from issue and completion times (blkparse D and C, or a CSV latency):
 *
 * - at issue: the I/Os issued before and not yet complete, plus this one (a min-heap of
 *   completion times; records must come in issue order, as blkparse's do);
 * - time-averaged: by Little's law, the sum of latencies over the span from the first
 *   issue to the last completion (iostat's aqu-sz), which needs no order;
 * - device latency (completion - issue) in fio's log-linear histogram.
 */
import { FioHistogram } from '../stats/fio-histogram.js';
import { Welford } from '../stats/welford.js';

const MAX_DEPTH_BUCKET = 4096;

export class DepthTracker {
  private heap = new Float64Array(1024);
  private size = 0;
  /** Issues seen at each depth (index = depth, the last bucket holds everything deeper). */
  readonly atIssue = new Float64Array(MAX_DEPTH_BUCKET + 1);
  readonly latency = new Welford();
  readonly latencyHistogram = new FioHistogram();
  latencySumUs = 0;
  maxDepth = 0;
  ios = 0;
  firstIssueUs = Infinity;
  lastCompleteUs = -Infinity;
  outOfOrder = 0;
  private lastIssueUs = -Infinity;

  add(issueUs: number, completeUs: number): void {
    this.ios++;
    if (issueUs < this.lastIssueUs) this.outOfOrder++;
    this.lastIssueUs = issueUs;
    if (issueUs < this.firstIssueUs) this.firstIssueUs = issueUs;
    if (completeUs > this.lastCompleteUs) this.lastCompleteUs = completeUs;
    while (this.size > 0 && this.heap[0]! <= issueUs) this.pop();
    this.push(completeUs);
    const depth = this.size;
    if (depth > this.maxDepth) this.maxDepth = depth;
    this.atIssue[Math.min(depth, MAX_DEPTH_BUCKET)]!++;
    const lat = completeUs - issueUs;
    this.latencySumUs += lat;
    this.latency.add(lat);
    this.latencyHistogram.add(Math.max(0, lat) * 1000);
  }

  private push(v: number): void {
    if (this.size === this.heap.length) {
      const bigger = new Float64Array(this.heap.length * 2);
      bigger.set(this.heap);
      this.heap = bigger;
    }
    const h = this.heap;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]! <= v) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = v;
  }

  private pop(): void {
    const h = this.heap;
    const last = h[--this.size]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && h[c + 1]! < h[c]!) c++;
      if (h[c]! >= last) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}
