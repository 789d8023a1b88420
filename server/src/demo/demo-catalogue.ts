import { count, sql } from 'drizzle-orm';
import { systemActor } from '../kernel/access/actor.js';
import { auditMany } from '../kernel/audit/audit.js';
import type { Db } from '../kernel/db/client.js';
import { roundHalfUp } from '../kernel/money.js';
import { recordEvent } from '../kernel/documents/lifecycle.js';
import { PRODUCT_DOCUMENT_TYPE } from '../modules/products/product-documents.service.js';
import { ean13CheckDigit } from '../modules/products/products.rules.js';
import { insertProducts } from '../modules/products/products.service.js';
import {
  type DosageForm,
  type PackageUnit,
  type PrescriptionClass,
  type ProductDocumentKind,
  type ReimbursementClass,
  type StorageCondition,
  prices,
  productDocuments,
  productLines,
} from '../modules/products/products.tables.js';

/**
 * The demo company's catalogue: five product lines, about thirty drugs (Rx and OTC, 医保甲/乙, two
 * cold-chain biologics), their ex-factory, supply (by customer type and by province / city), tender
 * (several provinces) and retail guide prices, and qualification documents — one expired and one
 * expiring within 30 days so the warnings show. Loaded once: a second call finds products and returns.
 * Named-customer prices are not seeded here (the demo customers belong to the customers module).
 */
type Seed = {
  sku: string;
  line: string;
  genericName: string;
  tradeName?: string;
  form: DosageForm;
  spec: string;
  unit: PackageUnit;
  units: number;
  approval: string;
  maker?: string;
  storage?: StorageCondition;
  rx: PrescriptionClass;
  nrdl: ReimbursementClass;
  /** 出厂价 in yuan. */
  price: string;
};

const HK = '华康制药有限公司';

export const DEMO_LINES = ['抗感染', '心脑血管', '内分泌与代谢', '呼吸与消化', '生物制品', '家庭用药（OTC）'];

export const DEMO_PRODUCTS: Seed[] = [
  { sku: 'HK1001', line: '抗感染', genericName: '阿莫西林胶囊', tradeName: '华康阿莫', form: 'capsule', spec: '0.25g*24粒', unit: 'box', units: 24, approval: '国药准字H44021351', rx: 'rx', nrdl: 'class_a', price: '8.50' },
  { sku: 'HK1002', line: '抗感染', genericName: '头孢克肟分散片', form: 'tablet', spec: '0.1g*6片', unit: 'box', units: 6, approval: '国药准字H20052169', rx: 'rx', nrdl: 'class_b', price: '15.80' },
  { sku: 'HK1003', line: '抗感染', genericName: '注射用头孢曲松钠', form: 'powder_injection', spec: '1.0g', unit: 'vial', units: 1, approval: '国药准字H20033292', rx: 'rx', nrdl: 'class_a', price: '4.20' },
  { sku: 'HK1004', line: '抗感染', genericName: '左氧氟沙星片', tradeName: '华康可乐', form: 'tablet', spec: '0.5g*4片', unit: 'box', units: 4, approval: '国药准字H20064035', rx: 'rx', nrdl: 'class_a', price: '12.60' },
  { sku: 'HK1005', line: '抗感染', genericName: '阿奇霉素颗粒', form: 'granule', spec: '0.1g*6袋', unit: 'box', units: 6, approval: '国药准字H20010578', rx: 'rx', nrdl: 'class_b', price: '11.30' },
  { sku: 'HK1006', line: '抗感染', genericName: '盐酸莫西沙星氯化钠注射液', form: 'injection', spec: '250ml:0.4g', unit: 'bottle', units: 1, approval: '国药准字H20113385', maker: '南京恒康药业有限公司', rx: 'rx', nrdl: 'class_b', price: '36.00' },
  { sku: 'HK2001', line: '心脑血管', genericName: '阿托伐他汀钙片', tradeName: '华康立平', form: 'tablet', spec: '20mg*7片', unit: 'box', units: 7, approval: '国药准字H20051984', rx: 'rx', nrdl: 'class_a', price: '18.90' },
  { sku: 'HK2002', line: '心脑血管', genericName: '苯磺酸氨氯地平片', form: 'tablet', spec: '5mg*28片', unit: 'box', units: 28, approval: '国药准字H20093253', rx: 'rx', nrdl: 'class_a', price: '9.80' },
  { sku: 'HK2003', line: '心脑血管', genericName: '硫酸氢氯吡格雷片', form: 'tablet', spec: '75mg*7片', unit: 'box', units: 7, approval: '国药准字H20123116', rx: 'rx', nrdl: 'class_b', price: '21.50' },
  { sku: 'HK2004', line: '心脑血管', genericName: '缬沙坦胶囊', form: 'capsule', spec: '80mg*14粒', unit: 'box', units: 14, approval: '国药准字H20040217', rx: 'rx', nrdl: 'class_a', price: '16.40' },
  { sku: 'HK2005', line: '心脑血管', genericName: '丹参滴丸', tradeName: '康心', form: 'pill', spec: '27mg*180丸', unit: 'bottle', units: 180, approval: '国药准字Z20010128', maker: '天津康元中药有限公司', storage: 'cool', rx: 'otc_a', nrdl: 'class_a', price: '24.00' },
  { sku: 'HK2006', line: '心脑血管', genericName: '银杏叶提取物注射液', form: 'injection', spec: '5ml:17.5mg*10支', unit: 'box', units: 10, approval: 'H20140123', maker: 'Dr. Willmar Schwabe GmbH', storage: 'cool', rx: 'rx', nrdl: 'class_b', price: '88.00' },
  { sku: 'HK3001', line: '内分泌与代谢', genericName: '盐酸二甲双胍片', tradeName: '华康格平', form: 'tablet', spec: '0.5g*20片', unit: 'box', units: 20, approval: '国药准字H20023370', rx: 'rx', nrdl: 'class_a', price: '6.20' },
  { sku: 'HK3002', line: '内分泌与代谢', genericName: '格列美脲片', form: 'tablet', spec: '2mg*15片', unit: 'box', units: 15, approval: '国药准字H20057672', rx: 'rx', nrdl: 'class_a', price: '13.70' },
  { sku: 'HK3003', line: '内分泌与代谢', genericName: '阿卡波糖片', form: 'tablet', spec: '50mg*30片', unit: 'box', units: 30, approval: '国药准字H20106202', rx: 'rx', nrdl: 'class_a', price: '19.60' },
  { sku: 'HK3004', line: '内分泌与代谢', genericName: '甘精胰岛素注射液', tradeName: '华康长秀', form: 'injection', spec: '3ml:300单位(预填充)', unit: 'vial', units: 1, approval: '国药准字S20193012', storage: 'cold_chain', rx: 'rx', nrdl: 'class_b', price: '62.00' },
  { sku: 'HK3005', line: '内分泌与代谢', genericName: '碳酸钙D3片', form: 'tablet', spec: '0.6g*60片', unit: 'bottle', units: 60, approval: '国药准字H10950029', rx: 'otc_b', nrdl: 'none', price: '17.50' },
  { sku: 'HK4001', line: '呼吸与消化', genericName: '布地奈德福莫特罗吸入气雾剂', form: 'aerosol', spec: '160μg/4.5μg*120揿', unit: 'box', units: 1, approval: '国药准字HJ20200015', maker: '苏州康睿医药有限公司', storage: 'cool', rx: 'rx', nrdl: 'class_b', price: '158.00' },
  { sku: 'HK4002', line: '呼吸与消化', genericName: '盐酸氨溴索口服溶液', tradeName: '华康沐清', form: 'oral_solution', spec: '100ml:0.6g', unit: 'bottle', units: 1, approval: '国药准字H20030989', rx: 'otc_a', nrdl: 'class_b', price: '14.20' },
  { sku: 'HK4003', line: '呼吸与消化', genericName: '奥美拉唑肠溶胶囊', form: 'capsule', spec: '20mg*14粒', unit: 'box', units: 14, approval: '国药准字H20046241', rx: 'rx', nrdl: 'class_a', price: '10.90' },
  { sku: 'HK4004', line: '呼吸与消化', genericName: '蒙脱石散', form: 'granule', spec: '3g*10袋', unit: 'box', units: 10, approval: '国药准字H20000690', rx: 'otc_a', nrdl: 'class_a', price: '9.60' },
  { sku: 'HK4005', line: '呼吸与消化', genericName: '小儿止咳糖浆', form: 'syrup', spec: '100ml', unit: 'bottle', units: 1, approval: '国药准字Z44020911', maker: '广州康宁中药有限公司', rx: 'otc_a', nrdl: 'none', price: '7.80' },
  { sku: 'HK5001', line: '生物制品', genericName: '人血白蛋白', form: 'injection', spec: '10g(20%,50ml)', unit: 'bottle', units: 1, approval: '国药准字S20063012', maker: '成都康源生物制品有限公司', storage: 'cold_chain', rx: 'rx', nrdl: 'class_b', price: '368.00' },
  { sku: 'HK5002', line: '生物制品', genericName: '重组乙型肝炎疫苗(酿酒酵母)', form: 'injection', spec: '0.5ml:10μg', unit: 'vial', units: 1, approval: '国药准字S20183011', maker: '成都康源生物制品有限公司', storage: 'cold_chain', rx: 'rx', nrdl: 'none', price: '23.00' },
  { sku: 'HK5003', line: '生物制品', genericName: '注射用重组人干扰素α2b', form: 'powder_injection', spec: '300万IU', unit: 'vial', units: 1, approval: '国药准字S20153005', storage: 'cold_chain', rx: 'rx', nrdl: 'class_b', price: '45.00' },
  { sku: 'HK6001', line: '家庭用药（OTC）', genericName: '布洛芬缓释胶囊', tradeName: '华康芬', form: 'capsule', spec: '0.3g*20粒', unit: 'box', units: 20, approval: '国药准字H10900089', rx: 'otc_b', nrdl: 'class_b', price: '9.90' },
  { sku: 'HK6002', line: '家庭用药（OTC）', genericName: '对乙酰氨基酚片', form: 'tablet', spec: '0.5g*12片', unit: 'box', units: 12, approval: '国药准字H44023712', rx: 'otc_a', nrdl: 'class_a', price: '3.50' },
  { sku: 'HK6003', line: '家庭用药（OTC）', genericName: '复方感冒灵颗粒', form: 'granule', spec: '14g*9袋', unit: 'box', units: 9, approval: '国药准字Z44021940', maker: '广州康宁中药有限公司', rx: 'otc_a', nrdl: 'class_a', price: '8.80' },
  { sku: 'HK6004', line: '家庭用药（OTC）', genericName: '红霉素软膏', form: 'ointment', spec: '1%*10g', unit: 'tube', units: 1, approval: '国药准字H44024261', rx: 'otc_b', nrdl: 'class_a', price: '2.60' },
  { sku: 'HK6005', line: '家庭用药（OTC）', genericName: '玻璃酸钠滴眼液', form: 'eye_drops', spec: '0.1%*5ml', unit: 'bottle', units: 1, approval: '国药准字H20113292', storage: 'cool', rx: 'otc_a', nrdl: 'class_b', price: '26.50' },
  { sku: 'HK6006', line: '家庭用药（OTC）', genericName: '维生素C咀嚼片', form: 'tablet', spec: '100mg*60片', unit: 'bottle', units: 60, approval: '国药准字H13022464', rx: 'otc_b', nrdl: 'none', price: '5.90' },
];

/** Provinces with a tender price for Rx hospital drugs, and the mark-up over ex-factory (in ‰). */
const TENDERS: { territoryId: string; name: string; permille: bigint }[] = [
  { territoryId: '440000', name: '广东省药品交易中心2025年度集中采购', permille: 1320n },
  { territoryId: '320000', name: '江苏省2025年药品联合带量采购', permille: 1280n },
  { territoryId: '310000', name: '上海市医药集中招标采购（2025）', permille: 1350n },
  { territoryId: '370000', name: '山东省药品集中采购（第四批）', permille: 1300n },
  { territoryId: '110000', name: '京津冀药品联合采购（2025）', permille: 1330n },
];

const percentOf = (fen: bigint, permille: bigint) => roundHalfUp(fen * permille, 1000n);
const yuanToFen = (yuan: string) => BigInt(yuan.replace('.', ''));

function barcodeOf(i: number): string {
  const first12 = `6901768${String(10000 + i).slice(-5)}`;
  return first12 + ean13CheckDigit(first12);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export async function loadDemoCatalogue(db: Db, today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7291006)`);
    const [{ n }] = await tx.select({ n: count() }).from(productLines);
    if (Number(n) > 0) return false;
    const actor = systemActor();
    const lines = await tx.insert(productLines).values(DEMO_LINES.map((name, sort) => ({ name, sort }))).returning();
    await auditMany(tx, actor, lines.map((l) => ({ action: 'product_line.created', entity: 'product_line', entityId: l.id, after: { ...l, source: 'demo' } })));
    const lineId = new Map(lines.map((l) => [l.name, l.id]));
    const ids = await insertProducts(
      tx,
      actor,
      DEMO_PRODUCTS.map((p, i) => ({
        code: p.sku,
        genericName: p.genericName,
        tradeName: p.tradeName ?? null,
        dosageForm: p.form,
        specification: p.spec,
        packageUnit: p.unit,
        unitsPerPackage: p.units,
        approvalNumber: p.approval,
        manufacturer: p.maker ?? HK,
        storageCondition: p.storage ?? 'normal',
        prescriptionClass: p.rx,
        reimbursementClass: p.nrdl,
        barcode: p.maker ? null : barcodeOf(i),
        productLineId: lineId.get(p.line)!,
        notes: null,
        status: 'active' as const,
      })),
    );

    // Prices: ex-factory for all; supply by type (distributors +5 %, pharmacies +12 %), by province
    // (Guangdong and Jiangsu a little lower) and for hospitals in Guangzhou; tenders for Rx drugs in
    // five provinces; retail guide prices for OTC drugs. Valid from 2025; tenders for two years.
    const rows: (typeof prices.$inferInsert)[] = [];
    DEMO_PRODUCTS.forEach((p, i) => {
      const productId = ids[i];
      const base = yuanToFen(p.price);
      const from = '2025-01-01';
      rows.push({ productId, kind: 'ex_factory', amountFen: base, validFrom: from });
      rows.push({ productId, kind: 'supply', customerType: 'distributor', amountFen: percentOf(base, 1050n), validFrom: from });
      if (p.rx !== 'rx') rows.push({ productId, kind: 'supply', customerType: 'pharmacy', amountFen: percentOf(base, 1120n), validFrom: from });
      if (i % 2 === 0) rows.push({ productId, kind: 'supply', territoryId: '440000', amountFen: percentOf(base, 1080n), validFrom: from, notes: '华南区域政策价' });
      if (i % 3 === 0) rows.push({ productId, kind: 'supply', territoryId: '320000', amountFen: percentOf(base, 1090n), validFrom: from });
      if (p.rx === 'rx' && i % 2 === 0) rows.push({ productId, kind: 'supply', territoryId: '440100', customerType: 'hospital', amountFen: percentOf(base, 1150n), validFrom: from, notes: '广州市医院配送价' });
      if (p.rx === 'rx') {
        for (const [k, t] of TENDERS.entries()) {
          if ((i + k) % 4 === 3) continue; // not every product won every tender
          rows.push({ productId, kind: 'tender', territoryId: t.territoryId, tenderName: t.name, amountFen: percentOf(base, t.permille), validFrom: '2025-04-01', validTo: '2027-03-31' });
        }
      } else {
        rows.push({ productId, kind: 'retail_guide', amountFen: percentOf(base, 1600n), validFrom: from });
      }
    });
    const inserted = await tx.insert(prices).values(rows).returning();
    await auditMany(tx, actor, inserted.map((r) => ({ action: 'price.created', entity: 'price', entityId: r.id, after: { ...r, source: 'demo' } })));

    // Documents: every product has its registration certificate (5 years) and package insert
    // (long-term); a few have inspection reports and GMP certificates. One registration has
    // expired, one GMP certificate expires in 12 days.
    const docs: (typeof productDocuments.$inferInsert)[] = [];
    DEMO_PRODUCTS.forEach((p, i) => {
      const productId = ids[i];
      const issued = `202${i % 4 + 1}-0${(i % 9) + 1}-15`;
      docs.push({ productId, kind: 'registration', number: `${p.approval}-注册证`, issuedOn: issued, expiresOn: addDays(issued, 5 * 365) });
      docs.push({ productId, kind: 'package_insert', number: null, issuedOn: issued, expiresOn: null });
      if (i % 5 === 0) docs.push({ productId, kind: 'inspection_report', number: `JY${2025}${String(i + 1).padStart(4, '0')}`, issuedOn: '2025-06-01', expiresOn: '2027-05-31' });
    });
    const kind = (k: ProductDocumentKind) => k;
    docs.push({ productId: ids[1], kind: kind('registration'), number: '旧版注册证（待换发）', issuedOn: '2019-05-10', expiresOn: addDays(today, -20), notes: '再注册申请已受理' });
    docs.push({ productId: ids[15], kind: kind('gmp'), number: 'GMP-SC-2021-0458', issuedOn: '2021-01-01', expiresOn: addDays(today, 12), notes: '冷链车间 GMP 证书，请尽快更新' });
    docs.push({ productId: ids[22], kind: kind('price_approval'), number: '川发改价格〔2024〕118号', issuedOn: '2024-03-01', expiresOn: null });
    const savedDocs = await tx.insert(productDocuments).values(docs).returning();
    for (const d of savedDocs) await recordEvent(tx, actor, PRODUCT_DOCUMENT_TYPE, d.id, { kind: 'created' });
    await auditMany(tx, actor, savedDocs.map((d) => ({ action: 'product_document.created', entity: 'product', entityId: d.productId, after: { ...d, source: 'demo' } })));
    return true;
  });
}
