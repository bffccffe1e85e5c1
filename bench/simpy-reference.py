"""
The reference case of `npm run bench:cli` in SimPy 2.3.1 (classic API), for the speed
comparison: 4 jobs x iodepth 16 (64 I/O processes) against one device with 8 slots
(a Resource of capacity 8) and exponential service time (mean 100 us), random reads
and writes (rwmixread 50) at random 4 KiB-aligned offsets, each completion recorded in
its job's and direction's statistics as blocksim keeps them (I/Os, bytes, streaming
mean and variance of slat, clat and lat, the fio-layout clat histogram with 64 buckets
per power of two), and the device's time-weighted queue and busy slots (a monitored
Resource with Tally monitors). Time in microseconds.

Usage: PYTHONPATH=<folder holding SimPy/> python3 simpy-reference.py COMPLETED_IOS
Prints one line of JSON: completed I/Os, wall seconds of the simulation, SimPy version.
"""
import json
import random
import sys
import time

import SimPy
from SimPy.Simulation import Process, Resource, Tally, activate, hold, initialize, now, release, request, simulate

JOBS, IODEPTH, SLOTS, MEAN_US = 4, 16, 8, 100.0
BLOCKS = (100 * 2**30) // 4096
PLAT_BITS, PLAT_VAL, PLAT_NR = 6, 64, 29 * 64


def bucket(ns):
    """fio's plat_val_to_idx."""
    if ns < 2 * PLAT_VAL:
        return ns
    error_bits = ns.bit_length() - 1 - PLAT_BITS
    idx = ((error_bits + 1) << PLAT_BITS) + ((ns >> error_bits) & (PLAT_VAL - 1))
    return idx if idx < PLAT_NR else PLAT_NR - 1


class Welford:
    """Streaming mean and variance, as blocksim's Welford."""

    def __init__(self):
        self.n = 0
        self.mean = 0.0
        self.m2 = 0.0

    def add(self, x):
        self.n += 1
        d = x - self.mean
        self.mean += d / self.n
        self.m2 += d * (x - self.mean)


class Stats:
    """One job and direction: I/Os, bytes, slat/clat/lat (ns) and the clat histogram."""

    def __init__(self):
        self.hist = [0] * PLAT_NR
        self.ios = 0
        self.bytes = 0
        self.slat, self.clat, self.lat = Welford(), Welford(), Welford()

    def record(self, clat_us):
        ns = int(clat_us * 1000)
        self.ios += 1
        self.bytes += 4096
        self.slat.add(0)
        self.clat.add(ns)
        self.lat.add(ns)
        self.hist[bucket(ns)] += 1


class IoSlot(Process):
    """One of a job's iodepth I/Os in flight: issue, wait for a device slot, be served, complete, issue again."""

    def run(self, device, stats, rng):
        while True:
            start = now()
            direction = 0 if rng.random() < 0.5 else 1
            self.offset = rng.randrange(BLOCKS) * 4096
            yield request, self, device
            yield hold, self, rng.expovariate(1.0 / MEAN_US)
            yield release, self, device
            stats[direction].record(now() - start)


def main():
    completed = int(sys.argv[1])
    duration_us = completed / (SLOTS / MEAN_US) * 1.0
    t0 = time.perf_counter()
    initialize()
    rng = random.Random(7)
    # monitored: time-weighted I/Os waiting and in service, blocksim's device queue figures
    device = Resource(capacity=SLOTS, name='d0', monitored=True, monitorType=Tally)
    jobs = [(Stats(), Stats()) for _ in range(JOBS)]
    for j in range(JOBS):
        for _ in range(IODEPTH):
            p = IoSlot()
            activate(p, p.run(device, jobs[j], rng))
    simulate(until=duration_us)
    wall = time.perf_counter() - t0
    done = sum(s.ios for pair in jobs for s in pair)
    queue = device.waitMon.timeAverage() + device.actMon.timeAverage()
    print(json.dumps({'completed': done, 'seconds': wall, 'meanQueueDepth': queue, 'simpy': SimPy.__version__}))


main()
