/**
 * Kubernetes names from scenario names. A scenario name is any string and entity names
 * allow upper case and "_", while most Kubernetes names must be DNS-1123 labels: at most
 * 63 characters of [a-z0-9-], starting and ending with a letter or digit. A name that
 * is already a valid label is kept as it is; any other is folded to one and gets a short
 * hash of the original, so "DB" and "db", or "a_b" and "a-b", stay apart. Pure.
 */

export const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Label values: at most 63 characters, alphanumerics with "-", "_", "." inside. */
export const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** ConfigMap keys. */
export const CONFIGMAP_KEY_RE = /^[-._a-zA-Z0-9]+$/;

/** FNV-1a (32 bit) of the UTF-16 code units, as 8 hex digits: short, stable, no crypto needed. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A DNS-1123 label of at most `maxLength` characters (at least 10) that stands for `text`. */
export function dnsLabel(text: string, maxLength = 63): string {
  if (maxLength < 10 || maxLength > 63) throw new Error(`dnsLabel: maxLength must be 10..63, got ${maxLength}`);
  if (text.length <= maxLength && DNS_LABEL_RE.test(text)) return text;
  const hash = shortHash(text).slice(0, 6);
  const folded = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  const base = folded.slice(0, maxLength - hash.length - 1).replace(/-+$/, '');
  return base ? `${base}-${hash}` : `x-${hash}`;
}

/** A label value standing for `text` (same folding as names, but case and "_" are allowed). */
export function labelValue(text: string): string {
  if (text.length <= 63 && LABEL_VALUE_RE.test(text)) return text;
  return dnsLabel(text);
}
