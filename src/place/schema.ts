/**
 * The cluster file's shape (zod), built from the scenario's own schemas: a node type's
 * devices are scenario devices with a capacity; a workload is a scenario container whose
 * volumes are scenario volumes without a placement (local, or network-replicated in
 * `copies`); its jobs are scenario jobs. Values keep their input units here.
 */
import { z } from 'zod';
import { ContainerInput, DeviceInput, ReplicatedInput, VolumeInput } from '../scenario/schema.js';
import { bandwidthField, durationField, numberIn, parsedBy, positiveInt, sizeField } from '../scenario/fields.js';
import { parseSlo, type Slo } from '../sweep/slo.js';
import { show } from '../scenario/units.js';
import { OBJECTIVES } from './types.js';

/** CPU as Kubernetes writes it: cores (2, 0.5, "2") or millicores ("500m"); millicores out. */
export function parseCpu(v: unknown): { ok: true; value: number } | { ok: false; message: string } {
  if (v === undefined) return { ok: false, message: 'missing: expected CPU as cores (2, 0.5) or millicores ("500m")' };
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  const m = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(text);
  if (!m) return { ok: false, message: `expected CPU as cores (2, 0.5) or millicores ("500m"), got ${show(v)}` };
  const millis = m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
  return millis > 0 && millis <= 1e9 ? { ok: true, value: millis } : { ok: false, message: `expected a positive CPU request, got ${show(v)}` };
}

const sloField = parsedBy((v: unknown): { ok: true; value: Slo } | { ok: false; message: string } => {
  if (typeof v !== 'string') return { ok: false, message: `expected an SLO like 'p99<=2ms', got ${show(v)}` };
  const s = parseSlo(v);
  return typeof s === 'string' ? { ok: false, message: s } : { ok: true, value: s };
});

const NodeDeviceInput = DeviceInput.extend({
  /** Space the device offers to volumes. */
  capacity: sizeField({ min: 0, minExclusive: true }),
});

export const NodeTypeInput = z.strictObject({
  /** Nodes of this type that may be used; default: as many as needed. */
  count: positiveInt(100_000).optional(),
  cost: numberIn(0, 1e12).optional(),
  cpu: parsedBy(parseCpu),
  memory: sizeField({ min: 0, minExclusive: true }),
  /** NIC bandwidth each way (needed when a workload has network-replicated volumes). */
  network: bandwidthField().optional(),
  devices: z.record(z.string(), NodeDeviceInput),
});

const ReplicationInput = ReplicatedInput.pick({ writeAck: true, read: true }).extend({ copies: positiveInt(16) });

export const WorkloadVolumeInput = VolumeInput.omit({ device: true, pool: true, thin: true, replicated: true }).extend({
  /** Network-replicated: `copies` copies on devices of distinct nodes; without it the volume is local to the pod's node. */
  replicated: ReplicationInput.optional(),
});

export const WorkloadInput = ContainerInput.omit({ volumes: true }).extend({
  cpu: parsedBy(parseCpu).optional(),
  memory: sizeField({ min: 0 }).optional(),
  antiAffinity: z.boolean().optional(),
  slo: z.array(sloField).optional(),
  volumes: z.record(z.string(), WorkloadVolumeInput),
});

export const ClusterInput = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  seed: numberIn(0, Number.MAX_SAFE_INTEGER, true).optional(),
  /** Simulated time of each node's verification. */
  duration: durationField({ min: 0, minExclusive: true, bare: 's' }).optional(),
  ramp: durationField({ bare: 's' }).optional(),
  objective: z.enum(OBJECTIVES as [string, ...string[]], { error: (iss) => `expected one of ${OBJECTIVES.join(', ')}, got ${JSON.stringify(iss.input)}` }).optional(),
  /** The network between nodes: round-trip latency. */
  network: z.strictObject({ latency: durationField() }).optional(),
  nodeTypes: z.record(z.string(), NodeTypeInput),
  workloads: z.record(z.string(), WorkloadInput),
});
export type ClusterInput = z.infer<typeof ClusterInput>;
