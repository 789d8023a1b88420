/** The same format rules as the server (server/src/modules/products/products.rules.ts), for instant feedback in forms. */
export function isApprovalNumber(text: string): boolean {
  return /^(国药准字[A-Z]{1,2}\d{8}|[HZS][JC]?\d{8})$/.test(text.normalize('NFKC').replace(/\s+/g, '').toUpperCase());
}

export function isEan13(text: string): boolean {
  if (!/^\d{13}$/.test(text)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(text[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(text[12]);
}
