/**
 * A small fake Kubernetes API server for tests: it records every request, keeps the
 * objects created, and plays the Job controller and the kubelet: a Job gets one pod per
 * completion index (Pending, then Running), a pod annotated with the start time finishes
 * shortly after with a log holding fio json+ for its replica's jobs (the job names come
 * from the replica's job file in the ConfigMap), or fails when the test says so.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

type Obj = { apiVersion?: string; kind?: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any; status?: any; data?: Record<string, string> };

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: any;
}

export interface FakeOptions {
  /** Pods (container.replica) that fail instead of measuring. */
  failPods?: string[];
  /** Polls of the pod list before a pod turns Running. */
  pendingPolls?: number;
}

const FIXTURE = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/fio/randrw-qd4-jsonplus.json'), 'utf8'));

function fioLog(jobFile: string): string {
  const names = [...jobFile.matchAll(/^\[(.+)\]$/gm)].map((m) => m[1]!).filter((n) => n !== 'global');
  const doc = { ...FIXTURE, jobs: names.map((jobname) => ({ ...FIXTURE.jobs[0], jobname })) };
  return `blocksim: replica waiting for blocksim.dev/start-at\nblocksim: fio output follows\n${JSON.stringify(doc, null, 2)}\n`;
}

export class FakeKubeApi {
  readonly requests: Recorded[] = [];
  readonly objects = new Map<string, Obj>(); // kind/namespace/name
  private readonly logs = new Map<string, string>();
  private server!: Server;
  private polls = 0;

  constructor(private readonly opts: FakeOptions = {}) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  kubeconfig(url: string): string {
    return `apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster: { server: "${url}", insecure-skip-tls-verify: true }\nusers:\n- name: tester\n  user: { token: fake-token }\ncontexts:\n- name: fake\n  context: { cluster: fake, user: tester }\ncurrent-context: fake\n`;
  }

  /** Requests as "METHOD path" lines, for assertions. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  live(kind: string): Obj[] {
    return [...this.objects.entries()].filter(([k]) => k.startsWith(`${kind}/`)).map(([, o]) => o);
  }

  private send(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }

  private notFound(res: ServerResponse, what: string): void {
    this.send(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `${what} not found`, reason: 'NotFound', code: 404 });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url!, 'http://x');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : undefined;
    this.requests.push({ method: req.method!, path: url.pathname, query: Object.fromEntries(url.searchParams), body });
    const p = url.pathname.split('/').filter(Boolean);
    // /api/v1/namespaces[/ns[/kind[/name[/log]]]] and /apis/batch/v1/namespaces/ns/jobs[/name]
    const core = p[0] === 'api';
    const rest = core ? p.slice(2) : p.slice(3);
    if (rest[0] !== 'namespaces') return this.notFound(res, url.pathname);
    if (rest.length <= 2) return this.namespaces(req.method!, rest[1], body, res);
    const [, ns, plural, name, sub] = rest;
    const kind = ({ persistentvolumeclaims: 'PersistentVolumeClaim', configmaps: 'ConfigMap', jobs: 'Job', pods: 'Pod' } as Record<string, string>)[plural!];
    if (!kind) return this.notFound(res, plural!);
    if (req.method === 'POST') return this.create(kind, ns!, body, res);
    if (req.method === 'GET' && !name) return this.list(kind, ns!, url.searchParams.get('labelSelector') ?? '', res);
    const key = `${kind}/${ns}/${name}`;
    const o = this.objects.get(key);
    if (!o) return this.notFound(res, key);
    if (req.method === 'GET' && sub === 'log') return this.send(res, 200, this.logs.get(key) ?? '');
    if (req.method === 'PATCH') return this.patch(key, o, body, res);
    if (req.method === 'DELETE') {
      this.objects.delete(key);
      if (kind === 'Job') for (const [k, pod] of this.objects) if (k.startsWith(`Pod/${ns}/`) && pod.metadata.labels?.['batch.kubernetes.io/job-name'] === name) this.objects.delete(k);
      return this.send(res, 200, { kind: 'Status', status: 'Success' });
    }
    return this.send(res, 200, o);
  }

  private namespaces(method: string, name: string | undefined, body: any, res: ServerResponse): void {
    if (method === 'POST') {
      const key = `Namespace//${body.metadata.name}`;
      if (this.objects.has(key)) return this.send(res, 409, { kind: 'Status', reason: 'AlreadyExists', message: `namespaces "${body.metadata.name}" already exists`, code: 409 });
      this.objects.set(key, body);
      return this.send(res, 201, body);
    }
    if (method === 'DELETE' && name) {
      if (!this.objects.delete(`Namespace//${name}`)) return this.notFound(res, name);
      for (const k of [...this.objects.keys()]) if (k.split('/')[1] === name) this.objects.delete(k);
      return this.send(res, 200, { kind: 'Status', status: 'Success' });
    }
    return this.notFound(res, 'namespace');
  }

  private create(kind: string, ns: string, body: Obj, res: ServerResponse): void {
    const key = `${kind}/${ns}/${body.metadata.name}`;
    if (this.objects.has(key)) return this.send(res, 409, { kind: 'Status', reason: 'AlreadyExists', code: 409, message: `${key} exists` });
    this.objects.set(key, { ...body, metadata: { ...body.metadata, namespace: ns } });
    if (kind === 'Job') this.startPods(ns, body);
    this.send(res, 201, body);
  }

  private startPods(ns: string, job: Obj): void {
    for (let i = 0; i < job.spec.completions; i++) {
      const name = `${job.metadata.name}-${i}-fake${i}`;
      const labels = { ...job.spec.template.metadata.labels, 'batch.kubernetes.io/job-name': job.metadata.name, 'job-name': job.metadata.name };
      this.objects.set(`Pod/${ns}/${name}`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: ns, labels, annotations: { 'batch.kubernetes.io/job-completion-index': String(i) } },
        spec: { ...job.spec.template.spec, nodeName: 'node-a' },
        status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'waiting for volumes' }] },
      });
    }
  }

  private list(kind: string, ns: string, selector: string, res: ServerResponse): void {
    const want = selector.split(',').filter(Boolean).map((s) => s.split('=') as [string, string]);
    const items = this.live(kind).filter((o) => o.metadata.namespace === ns && want.every(([k, v]) => o.metadata.labels?.[k] === v));
    if (kind === 'Pod' && ++this.polls > (this.opts.pendingPolls ?? 1)) {
      for (const pod of items) if (pod.status.phase === 'Pending') pod.status = { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }] };
    }
    this.send(res, 200, { kind: `${kind}List`, apiVersion: 'v1', metadata: {}, items });
  }

  private patch(key: string, o: Obj, body: any, res: ServerResponse): void {
    const annotations: Record<string, string> = { ...o.metadata.annotations, ...body?.metadata?.annotations };
    o.metadata.annotations = annotations;
    if (o.kind === 'Pod' && annotations['blocksim.dev/start-at']) {
      const job = this.objects.get(`Job/${o.metadata.namespace}/${o.metadata.labels!['batch.kubernetes.io/job-name']}`)!;
      const index = annotations['batch.kubernetes.io/job-completion-index']!;
      const container = job.metadata.annotations!['blocksim.dev/container-name']!;
      const cm = this.objects.get(`ConfigMap/${o.metadata.namespace}/${job.spec.template.spec.volumes[0].configMap.name}`)!;
      const fails = this.opts.failPods?.includes(`${container}.${index}`);
      setTimeout(() => {
        o.status = { phase: fails ? 'Failed' : 'Succeeded', reason: fails ? 'Error' : undefined };
        this.logs.set(key, fails ? 'blocksim: replica waiting\nfio: pid=7, err=5/file:io_u.c:1889, func=io_u error, error=Input/output error\n' : fioLog(cm.data![`${index}.fio`]!));
      }, 100);
    }
    this.send(res, 200, o);
  }
}
