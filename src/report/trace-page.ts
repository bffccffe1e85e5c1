/**
 * The report page of `blocksim trace stats` and `trace fit`: one self-contained HTML
 * file (no scripts, no network) in the style of report.html: sections of text, each
 * chart as inline SVG with a link to its Vega-Lite spec, and links to the files beside
 * it. Every piece of text is escaped here; callers pass plain text.
 */
import { CSS, escapeHtml } from './html.js';

export interface TracePageInput {
  title: string;
  meta: string;
  /** [heading, plain text shown preformatted] */
  sections: [string, string][];
  /** [heading, list items] */
  lists?: [string, string[]][];
  charts: { id: string; title: string; svg: string }[];
  files: string[];
}

export function renderTracePage(input: TracePageInput): string {
  const sections = input.sections.map(([h, text]) => `<h2>${escapeHtml(h)}</h2>\n<pre>${escapeHtml(text)}</pre>`).join('\n');
  const lists = (input.lists ?? []).filter(([, items]) => items.length > 0).map(([h, items]) => `<h2>${escapeHtml(h)}</h2>\n<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`).join('\n');
  const charts = input.charts.map((c) => `<figure id="${escapeHtml(c.id)}" class="chart" aria-label="${escapeHtml(c.title)}">${c.svg}<figcaption><a href="charts/${escapeHtml(c.id)}.vl.json">Vega-Lite spec</a></figcaption></figure>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">${escapeHtml(input.meta)}</p>
${sections}
${lists}
<h2>Charts</h2>
${charts || '<p>No charts apply to this trace.</p>'}
<h2>Files</h2>
<p class="files">${input.files.map((f) => `<a href="${escapeHtml(f)}">${escapeHtml(f)}</a>`).join(' ')}</p>
</body></html>
`;
}
