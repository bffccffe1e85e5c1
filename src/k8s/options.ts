/**
 * Checks of the command-line values that end up in manifests, with Kubernetes' own
 * rules, so a bad value is refused here (exit 2) rather than by the API server. Pure.
 */
import { DNS_LABEL_RE } from './names.js';

const QUANTITY_RE = /^[+]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** registry/path:tag@digest, without spaces or shell characters. */
const IMAGE_RE = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/;

export const DEFAULT_FIO_IMAGE = 'ghcr.io/kastenhq/kubestr:latest';
export const MAX_RUN_ID = 30;

export type Check = (value: string) => string | undefined;

export const checkQuantity: Check = (v) => (QUANTITY_RE.test(v) ? undefined : `expected a Kubernetes quantity such as 500m, 2 or 512Mi, got ${JSON.stringify(v)}`);
export const checkImage: Check = (v) => (v.length <= 1024 && IMAGE_RE.test(v) ? undefined : `expected an image reference such as ${DEFAULT_FIO_IMAGE}, got ${JSON.stringify(v)}`);
export const checkSubdomain: Check = (v) => (v.length <= 253 && DNS_SUBDOMAIN_RE.test(v) ? undefined : `expected a DNS-1123 subdomain (lower-case letters, digits, "-" and "."), got ${JSON.stringify(v)}`);
export const checkLabel =
  (max: number): Check =>
  (v) =>
    v.length <= max && DNS_LABEL_RE.test(v) ? undefined : `expected at most ${max} lower-case letters, digits and "-", starting and ending with a letter or digit, got ${JSON.stringify(v)}`;
