/**
 * The Chinese font embedded in PDFs: Noto Sans CJK SC ("Noto Sans Hans", SIL Open Font License)
 * from the npm package @embedpdf/fonts-sc, so `npm install` brings it and the repository stays
 * small. Only the glyphs a document uses are embedded (subset), so a PDF stays tens of kilobytes.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export type FontWeight = 'regular' | 'bold';
const FILES: Record<FontWeight, string> = { regular: 'NotoSansHans-Regular.otf', bold: 'NotoSansHans-Bold.otf' };

let fontDir: string | null = null;
const cache = new Map<FontWeight, Buffer>();

/** The font file's bytes, read once per process. */
export function cjkFont(weight: FontWeight): Buffer {
  let buffer = cache.get(weight);
  if (!buffer) {
    // The package exports only its entry (dist/index.cjs); the fonts sit in ../fonts beside it.
    fontDir ??= path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
    buffer = fs.readFileSync(path.join(fontDir, FILES[weight]));
    cache.set(weight, buffer);
  }
  return buffer;
}
