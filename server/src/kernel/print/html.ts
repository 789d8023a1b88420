/**
 * The HTML view of a printable document: one self-contained page whose CSS `@page` rule sets the
 * paper size and margins of its layout, so the browser's print dialog prints it at the right size.
 * Safety: markup is only ever built with the `html` tag below, which escapes every interpolated
 * value; data cannot add tags, attributes or scripts. The page carries no inline script (the CSP
 * forbids it): the print button is wired by the static file served at PRINT_SCRIPT_URL.
 */
import type { Locale } from '../i18n.js';
import type { PrintBlock, PrintContext, PrintDocument, PrintTemplate } from './document.js';
import { LAYOUTS, type LayoutName } from './layouts.js';

export const PRINT_SCRIPT_URL = '/print/print.js';

/** Markup that is already safe; only the `html` tag and `raw` make one. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

type Interpolation = SafeHtml | string | number | null | undefined | Interpolation[];
function interpolate(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  return escapeHtml(value);
}

/** Tagged template: `html`<td>${value}</td>`` escapes `value` unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0];
  values.forEach((v, i) => (out += interpolate(v) + strings[i + 1]));
  return new SafeHtml(out);
}

/** For constant CSS written in this file; never pass data to it. */
const raw = (s: string) => new SafeHtml(s);

const TOOLBAR_TEXT: Record<Locale, { print: string; pdf: string; layout: string; layouts: Record<LayoutName, string> }> = {
  'zh-CN': {
    print: '打印',
    pdf: '下载 PDF',
    layout: '纸张',
    layouts: { a4: 'A4', continuous: '241 连续纸（三等分）', 'continuous-half': '241 连续纸（二等分）' },
  },
  'en-US': {
    print: 'Print',
    pdf: 'Download PDF',
    layout: 'Paper',
    layouts: { a4: 'A4', continuous: '241 mm continuous (1/3)', 'continuous-half': '241 mm continuous (1/2)' },
  },
};

export type HtmlOptions = {
  /** Link of the PDF of the same document; shown on the toolbar. */
  pdfUrl?: string;
  /** Link of this view in another layout; the toolbar offers the switch when given. */
  layoutUrl?: (layout: LayoutName) => string;
};

/** Renders a template with its data as a complete HTML page in the given layout. */
export function renderPrintHtml<Data>(template: PrintTemplate<Data>, data: Data, ctx: PrintContext, options: HtmlOptions = {}): string {
  return renderDocumentHtml(template.build(data, ctx), ctx, options);
}

export function renderDocumentHtml(doc: PrintDocument, ctx: PrintContext, options: HtmlOptions = {}): string {
  const { layout } = ctx;
  const m = layout.marginMm;
  const text = TOOLBAR_TEXT[ctx.locale];
  const css = raw(`
@page { size: ${layout.widthMm}mm ${layout.heightMm}mm; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #e9ecef; color: #000;
  font-family: "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif;
  font-size: ${layout.fontPt}pt; line-height: 1.35; }
.toolbar { display: flex; gap: 12px; align-items: center; justify-content: center; padding: 10px; background: #fff; border-bottom: 1px solid #ccc; font-family: sans-serif; font-size: 14px; }
.toolbar button, .toolbar a.button { font-size: 14px; padding: 4px 16px; border: 1px solid #1677ff; border-radius: 4px; background: #1677ff; color: #fff; cursor: pointer; text-decoration: none; }
.toolbar a.button.secondary { background: #fff; color: #1677ff; }
.toolbar .layouts a { margin: 0 4px; color: #1677ff; }
.toolbar .layouts a[aria-current] { color: #000; font-weight: bold; text-decoration: none; }
.sheet { width: ${layout.widthMm}mm; min-height: ${layout.heightMm}mm; margin: 16px auto; padding: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.25); }
.head { display: flex; align-items: flex-end; justify-content: space-between; margin-bottom: 1.5mm; }
.company { font-size: ${layout.fontPt + 1}pt; }
.reference { font-size: ${layout.fontPt}pt; }
h1 { text-align: center; font-size: ${layout.titlePt}pt; letter-spacing: .3em; margin: 0 0 2mm; }
table { width: 100%; border-collapse: collapse; margin-bottom: 2mm; }
th, td { border: 0.6pt solid #000; padding: 0.8mm 1.5mm; text-align: left; vertical-align: top; word-break: break-all; }
td.label, th { white-space: nowrap; font-weight: bold; background: #f2f2f2; width: 1%; }
.blank { border: 0.6pt solid #000; padding: 0.8mm 1.5mm; margin-bottom: 2mm; min-height: ${layout.fontPt * 2.6}pt; display: flex; gap: 3mm; }
.blank .label { font-weight: bold; white-space: nowrap; }
.blank .hint { color: #555; margin-left: auto; align-self: flex-end; font-size: ${layout.fontPt - 1}pt; }
.paragraph { margin: 0 0 2mm; }
.signatures { display: flex; gap: 6mm; margin-top: 3mm; }
.signatures .sign { flex: 1; }
.signatures .line { display: inline-block; min-width: 28mm; border-bottom: 0.6pt solid #000; }
.signatures .line.date { min-width: 18mm; }
.footer { margin-top: 2mm; font-size: ${layout.fontPt - 1.5}pt; color: #333; }
@media print {
  body { background: #fff; }
  .toolbar { display: none; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
}`);
  const layoutLinks = options.layoutUrl
    ? html`<span class="layouts">${text.layout}: ${(Object.keys(LAYOUTS) as LayoutName[]).map((name) =>
        name === ctx.layoutName
          ? html`<a aria-current="page" data-testid="print-layout-${name}">${text.layouts[name]}</a>`
          : html`<a href="${options.layoutUrl!(name)}" data-testid="print-layout-${name}">${text.layouts[name]}</a>`,
      )}</span>`
    : '';
  const page = html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.title}</title>
<style>${css}</style>
<script src="${PRINT_SCRIPT_URL}" defer></script>
</head>
<body data-layout="${ctx.layoutName}">
<nav class="toolbar">
<button type="button" id="print-button" data-testid="print-button">${text.print}</button>
${options.pdfUrl ? html`<a class="button secondary" href="${options.pdfUrl}" data-testid="print-pdf-link">${text.pdf}</a>` : ''}
${layoutLinks}
</nav>
<main class="sheet">
<div class="head"><span class="company">${doc.company}</span><span class="reference">${doc.reference ?? ''}</span></div>
<h1>${doc.title}</h1>
${doc.blocks.map(blockHtml)}
${doc.footer ? html`<p class="footer">${doc.footer}</p>` : ''}
</main>
</body>
</html>
`;
  return page.value;
}

function blockHtml(block: PrintBlock): SafeHtml {
  switch (block.kind) {
    case 'fields': {
      const rows: SafeHtml[] = [];
      let cells: SafeHtml[] = [];
      let used = 0;
      const flush = () => {
        if (cells.length) rows.push(html`<tr>${cells}</tr>`);
        cells = [];
        used = 0;
      };
      for (const f of block.fields) {
        if (f.wide) {
          flush();
          rows.push(html`<tr><td class="label">${f.label}</td><td colspan="${block.columns * 2 - 1}">${f.value}</td></tr>`);
          continue;
        }
        cells.push(html`<td class="label">${f.label}</td><td>${f.value}</td>`);
        if (++used === block.columns) flush();
      }
      if (cells.length) {
        const missing = block.columns - used;
        cells.push(html`${Array.from({ length: missing }, () => html`<td class="label"></td><td></td>`)}`);
        flush();
      }
      return html`<table class="fields">${rows}</table>`;
    }
    case 'table':
      return html`<table class="lines"><thead><tr>${block.columns.map((c) => html`<th style="width:${String(c.widthPct)}%">${c.label}</th>`)}</tr></thead><tbody>${block.rows.map(
        (row) => html`<tr>${row.map((cell, i) => html`<td style="text-align:${block.columns[i]?.align ?? 'left'}">${cell}</td>`)}</tr>`,
      )}</tbody></table>`;
    case 'paragraph':
      return html`<p class="paragraph">${block.text}</p>`;
    case 'blank':
      return html`<div class="blank" data-testid="print-blank"><span class="label">${block.label}</span>${block.hint ? html`<span class="hint">${block.hint}</span>` : ''}</div>`;
    case 'signatures':
      return html`<div class="signatures">${block.labels.map(
        (label) => html`<div class="sign">${label} <span class="line"></span> ${block.dateLabel} <span class="line date"></span></div>`,
      )}</div>`;
  }
}
