/**
 * Just enough of an API server for `kubectl apply --dry-run=client`: discovery for the
 * kinds blocksim renders, and the OpenAPI v2 document kubectl validates against, built
 * from the vendored Kubernetes 1.36 definitions and served as kubectl asks for it
 * (gnostic's OpenAPI v2 protobuf). Objects are never found, so apply plans a create.
 * Field numbers below are those of gnostic's openapiv2/OpenAPIv2.proto (the subset the
 * definitions use).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';
import { definitions } from './schemas.js';

const PROTO = `
syntax = "proto3";
package openapi.v2;
message Document { string swagger = 1; Info info = 2; Paths paths = 8; Definitions definitions = 9; }
message Info { string title = 1; string version = 2; }
message Paths { repeated NamedAny vendor_extension = 1; }
message Definitions { repeated NamedSchema additional_properties = 1; }
message NamedSchema { string name = 1; Schema value = 2; }
message NamedAny { string name = 1; Any value = 2; }
message Any { string yaml = 2; }
message TypeItem { repeated string value = 1; }
message ItemsItem { repeated Schema schema = 1; }
message Properties { repeated NamedSchema additional_properties = 1; }
message AdditionalPropertiesItem { oneof oneof { Schema schema = 1; bool boolean = 2; } }
message Schema {
  string _ref = 1; string format = 2; repeated string required = 19;
  AdditionalPropertiesItem additional_properties = 21; TypeItem type = 22; ItemsItem items = 23;
  Properties properties = 25; string discriminator = 26; repeated NamedAny vendor_extension = 31;
}
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
const Document = root.lookupType('openapi.v2.Document');

type Json = Record<string, any>;

function schema(s: Json): Json {
  const out: Json = {};
  if (s.$ref) out._ref = s.$ref;
  if (s.format) out.format = s.format;
  if (s.required) out.required = s.required;
  if (s.type) out.type = { value: [s.type] };
  if (s.items) out.items = { schema: [schema(s.items)] };
  if (s.properties) out.properties = { additional_properties: Object.entries(s.properties).map(([name, v]) => ({ name, value: schema(v as Json) })) };
  if (s.additionalProperties !== undefined) out.additional_properties = typeof s.additionalProperties === 'boolean' ? { boolean: s.additionalProperties } : { schema: schema(s.additionalProperties) };
  if (typeof s.discriminator === 'string') out.discriminator = s.discriminator;
  const ext = Object.entries(s).filter(([k]) => k.startsWith('x-'));
  if (ext.length) out.vendor_extension = ext.map(([name, v]) => ({ name, value: { yaml: JSON.stringify(v) } }));
  return out;
}

export function openApiV2Protobuf(): Uint8Array {
  const doc = { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.36.0' }, paths: {}, definitions: { additional_properties: Object.entries(definitions).map(([name, v]) => ({ name, value: schema(v) })) } };
  return Document.encode(Document.fromObject(doc)).finish();
}

const resources = (gv: string, list: [string, string, boolean][]): Json => ({
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: gv,
  resources: list.map(([name, kind, namespaced]) => ({ name, singularName: kind.toLowerCase(), namespaced, kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] })),
});

export async function startKubectlApi(): Promise<{ url: string; paths: string[]; stop: () => Promise<void> }> {
  const routes: Record<string, Json> = {
    '/version': { major: '1', minor: '36', gitVersion: 'v1.36.0' },
    '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
    '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'batch', versions: [{ groupVersion: 'batch/v1', version: 'v1' }], preferredVersion: { groupVersion: 'batch/v1', version: 'v1' } }] },
    '/api/v1': resources('v1', [['namespaces', 'Namespace', false], ['persistentvolumeclaims', 'PersistentVolumeClaim', true], ['configmaps', 'ConfigMap', true], ['pods', 'Pod', true]]),
    '/apis/batch/v1': resources('batch/v1', [['jobs', 'Job', true]]),
  };
  const openapi = Buffer.from(openApiV2Protobuf());
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url!.split('?')[0]!;
    paths.push(`${req.method} ${path}`);
    if (req.method === 'GET' && path === '/openapi/v2') {
      res.writeHead(200, { 'content-type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' });
      return res.end(openapi);
    }
    const body = req.method === 'GET' ? routes[path] : undefined;
    if (body) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(body));
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths, stop: () => new Promise((r) => server.close(() => r())) };
}
