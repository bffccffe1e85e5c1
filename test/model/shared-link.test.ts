/**
 * Replicated volumes that name the same network link share it (a host's NIC). With
 * Poisson writes of one size, the uplink is an M/D/1 queue: the mean wait is
 * ρS / (2(1 − ρ)) (Pollaczek–Khinchine), with ρ the load of every volume on the link.
 */
import { describe, expect, it } from 'vitest';
import { dir, relErr, run, scenarioFrom } from '../helpers.js';
import { normalizeScenario } from '../../src/scenario/normalize.js';

const BW = 1e9; // bytes per second
const SIZE = 1 << 20;
const S_US = (SIZE / BW) * 1e6; // transfer time of one write on the link
const RATE = (0.4 * 1e6) / S_US; // each volume loads the link to 40 %

function twoVolumes(link: string | undefined, bandwidths: [number, number] = [BW, BW]): Record<string, unknown> {
  const volume = (i: number) => ({
    size: '64GiB',
    replicated: { devices: [`r${i}`], writeAck: 1, network: { latency: 0, bandwidth: bandwidths[i]!, ...(link ? { link } : {}) } },
  });
  const device = { parallelism: 64, write: { latency: { dist: 'fixed', value: '1us' } } };
  const job = (v: string) => ({ rw: 'write', bs: SIZE, rate_iops: RATE, rate_process: 'poisson', iodepth: 4096, volume: v });
  return {
    name: 'links', seed: 5, duration: '40s', ramp: '1s',
    devices: { r0: device, r1: device },
    volumes: { a: volume(0), b: volume(1) },
    containers: { c: { volumes: ['a', 'b'], jobs: { wa: job('a'), wb: job('b') } } },
  };
}

const pkMeanUs = (rho: number): number => (rho * S_US) / (2 * (1 - rho)) + S_US + 1;

describe('network links', () => {
  it('gives each replicated volume its own link unless they name one', () => {
    const r = run(scenarioFrom(twoVolumes(undefined)));
    const mean = dir(r, 'c.wa', 'write').clat.meanNs / 1e3;
    expect(relErr(mean, pkMeanUs(0.4))).toBeLessThan(0.05);
  });

  it('queues the writes of volumes that name the same link on one link (M/D/1 at the summed load)', () => {
    const r = run(scenarioFrom(twoVolumes('nic')));
    for (const job of ['c.wa', 'c.wb']) {
      const mean = dir(r, job, 'write').clat.meanNs / 1e3;
      expect(relErr(mean, pkMeanUs(0.8))).toBeLessThan(0.06);
    }
  });

  it('refuses volumes sharing a link with different bandwidths', () => {
    const r = normalizeScenario(twoVolumes('nic', [BW, BW / 2]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toContain('volumes.b.replicated.network.bandwidth');
  });
});
