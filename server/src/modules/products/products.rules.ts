/**
 * Format rules of the catalogue's identifiers, used by the forms, the API and the Excel import.
 *
 * 批准文号 (approval number), accepted forms:
 * - domestic: 国药准字 + one letter + 8 digits — H 化学药, Z 中药, S 生物制品, J 进口分包装, B 保健药品,
 *   T 体外诊断试剂, F 药用辅料 — e.g. 国药准字H20043225;
 * - imported drugs since 2020 (境外生产药品): 国药准字 + two letters + 8 digits, e.g. 国药准字HJ20200001;
 * - older registration certificates of imported drugs (进口药品注册证号 / 医药产品注册证号): H, Z or S,
 *   optionally followed by J or C, then 8 digits, e.g. H20170001, HC20150012.
 * Letters are upper-cased and spaces dropped before the check.
 *
 * 条形码: EAN-13 with its check digit (GS1: weights 1,3,1,3… over the first 12 digits).
 */
const APPROVAL_NUMBER = /^(国药准字[A-Z]{1,2}\d{8}|[HZS][JC]?\d{8})$/;

export function normaliseApprovalNumber(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

export function isApprovalNumber(text: string): boolean {
  return APPROVAL_NUMBER.test(normaliseApprovalNumber(text));
}

export function ean13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export function isEan13(text: string): boolean {
  return /^\d{13}$/.test(text) && ean13CheckDigit(text.slice(0, 12)) === Number(text[12]);
}
