/**
 * The Chinese font embedded in PDFs: Noto Sans CJK SC ("Noto Sans Hans", SIL Open Font License)
 * from the npm package @embedpdf/fonts-sc, so `npm install` brings it and the repository stays
 * small. Only the glyphs a document uses are embedded (subset), so a PDF stays small.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);

export type FontWeight = 'regular' | 'bold';
const FILES: Record<FontWeight, string> = { regular: 'NotoSansHans-Regular.otf', bold: 'NotoSansHans-Bold.otf' };

let fontDir: string | null = null;
const cache = new Map<FontWeight, fontkit.Font>();

/**
 * The parsed font, once per process: parsing the 8 MB font is most of a PDF's cost, and pdfkit
 * takes a parsed font as it takes a file (each document still embeds its own subset).
 */
export function cjkFont(weight: FontWeight): fontkit.Font {
  let font = cache.get(weight);
  if (!font) {
    // The package exports only its entry (dist/index.cjs); the fonts sit in ../fonts beside it.
    fontDir ??= path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
    font = fontkit.create(fs.readFileSync(path.join(fontDir, FILES[weight]))) as fontkit.Font;
    cache.set(weight, font);
  }
  return font;
}
