/**
 * Paper layouts. A4 for office documents; the 241 mm continuous form (连续打印纸, 9.5" wide with the
 * tractor strips torn off) for the dot-matrix printers that print delivery notes (随货同行单): a
 * 279.4 mm (11") fan-fold sheet cut into thirds (241 × 93.1 mm) or halves (241 × 139.7 mm).
 * Sizes and margins are in millimetres; the HTML view and the PDF use the same numbers.
 */
export const LAYOUTS = {
  a4: { widthMm: 210, heightMm: 297, marginMm: { top: 15, right: 15, bottom: 15, left: 20 }, fontPt: 11, titlePt: 20 },
  continuous: { widthMm: 241, heightMm: 93.1, marginMm: { top: 5, right: 8, bottom: 5, left: 10 }, fontPt: 8.5, titlePt: 13 },
  'continuous-half': { widthMm: 241, heightMm: 139.7, marginMm: { top: 6, right: 8, bottom: 6, left: 10 }, fontPt: 9.5, titlePt: 15 },
} as const;

export type LayoutName = keyof typeof LAYOUTS;
export type Layout = (typeof LAYOUTS)[LayoutName];
export const LAYOUT_NAMES = Object.keys(LAYOUTS) as [LayoutName, ...LayoutName[]];

export const PT_PER_MM = 72 / 25.4;
export const mmToPt = (mm: number) => mm * PT_PER_MM;
