/**
 * Kubernetes' OpenAPI definitions (test/fixtures/k8s, release 1.36) as JSON Schema
 * validators. Every object definition with properties also refuses unknown fields, as
 * the API server does with strict field validation (kubectl's default), so a misspelt
 * field fails here too. int-or-string and quantity fields accept what Kubernetes does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const definitions: Record<string, Record<string, unknown>> = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/k8s/openapi-v2-definitions.json'), 'utf8')).definitions;

function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== 'object') return schema;
  const s = Object.fromEntries(Object.entries(schema).filter(([k]) => !k.startsWith('x-')).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, ps]) => [p, strict(ps)])) : strict(v)]));
  if (s.$ref) return { $ref: String(s.$ref).replace('#/definitions/', 'k8s#/definitions/') };
  if (s.properties && s.additionalProperties === undefined) s.additionalProperties = false;
  return s;
}

const ajv = new Ajv({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
ajv.addFormat('double', { type: 'number', validate: () => true });
ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
ajv.addFormat('int-or-string', true);
// a Quantity is a string in the schema (and Kubernetes also takes a number)
const defs = Object.fromEntries(Object.entries(definitions).map(([k, v]) => [k, strict(v)]));
defs['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { oneOf: [{ type: 'string', pattern: '^[+]?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$' }, { type: 'number' }] };
defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
ajv.addSchema({ $id: 'k8s', definitions: defs });

const KINDS: Record<string, string> = {
  Namespace: 'io.k8s.api.core.v1.Namespace',
  PersistentVolumeClaim: 'io.k8s.api.core.v1.PersistentVolumeClaim',
  ConfigMap: 'io.k8s.api.core.v1.ConfigMap',
  Job: 'io.k8s.api.batch.v1.Job',
};
const validators = new Map<string, ValidateFunction>();

/** Problems of one object against the schema of its kind ([] when it is valid). */
export function schemaProblems(o: object): string[] {
  const kind = (o as { kind?: string }).kind;
  const def = KINDS[kind ?? ''];
  if (!def) return [`no schema for kind ${kind}`];
  let v = validators.get(def);
  if (!v) validators.set(def, (v = ajv.compile({ $ref: `k8s#/definitions/${def}` })));
  return v(o) ? [] : (v.errors ?? []).map((e) => `${kind} ${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}
