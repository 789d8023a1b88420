import { asc } from 'drizzle-orm';
import type { Queryable } from '../../kernel/db/client.js';
import { enumOf, type Importer, integer, reference, text } from '../../kernel/excel/import.js';
import type { StoredCellError } from '../../kernel/excel/import.tables.js';
import { enumOptions } from './products.labels.js';
import { approvalNumberSchema, barcodeSchema, productCodeSchema } from './products.schemas.js';
import { existingProductKeys, identityKey, insertProducts } from './products.service.js';
import { type DosageForm, type PackageUnit, type PrescriptionClass, productLines, type ReimbursementClass, type StorageCondition } from './products.tables.js';

/**
 * Importing the catalogue from Excel: the same rules as the product form (code unique, one active
 * product per generic name + specification + manufacturer, approval number and EAN-13 formats),
 * checked for all rows at once; enumerations by their Chinese or English names.
 */
async function loadLines(db: Queryable) {
  const rows = await db.select({ id: productLines.id, name: productLines.name }).from(productLines).orderBy(asc(productLines.sort));
  return rows.map((r) => ({ id: r.id, keys: [r.name], label: r.name }));
}

type Values = {
  code: string;
  genericName: string;
  tradeName: string | null;
  dosageForm: DosageForm;
  specification: string;
  packageUnit: PackageUnit;
  unitsPerPackage: number | null;
  approvalNumber: string;
  manufacturer: string;
  storageCondition: StorageCondition | null;
  prescriptionClass: PrescriptionClass;
  reimbursementClass: ReimbursementClass | null;
  barcode: string | null;
  productLineId: number | null;
};

export const productsImporter: Importer = {
  kind: 'products',
  permission: 'products.write',
  title: { 'zh-CN': '药品目录', 'en-US': 'Products' },
  maxRows: 10000,
  columns: [
    { key: 'code', header: { 'zh-CN': '产品编码', 'en-US': 'Code' }, required: true, parser: text({ schema: productCodeSchema }), note: { 'zh-CN': '唯一，字母、数字和 _ . -', 'en-US': 'Unique; letters, digits and _ . -' }, example: 'P0101' },
    { key: 'genericName', header: { 'zh-CN': '通用名', 'en-US': 'Generic name' }, required: true, parser: text({ max: 100 }), note: { 'zh-CN': '药品通用名称', 'en-US': 'Generic (INN) name' }, example: '阿莫西林胶囊', width: 20 },
    { key: 'tradeName', header: { 'zh-CN': '商品名', 'en-US': 'Trade name' }, parser: text({ max: 100 }), note: { 'zh-CN': '可空', 'en-US': 'Optional' }, example: '阿莫仙' },
    { key: 'dosageForm', header: { 'zh-CN': '剂型', 'en-US': 'Dosage form' }, required: true, parser: enumOf(enumOptions('dosageForm')), note: { 'zh-CN': '如 片剂、胶囊剂、注射剂', 'en-US': 'e.g. 片剂 / Tablet' }, example: '胶囊剂' },
    { key: 'specification', header: { 'zh-CN': '规格', 'en-US': 'Specification' }, required: true, parser: text({ max: 100 }), note: { 'zh-CN': '如 0.25g*24粒', 'en-US': 'e.g. 0.25g*24粒' }, example: '0.25g*24粒', width: 18 },
    { key: 'packageUnit', header: { 'zh-CN': '包装单位', 'en-US': 'Package unit' }, required: true, parser: enumOf(enumOptions('packageUnit')), note: { 'zh-CN': '盒、瓶、支、袋、管、个', 'en-US': 'Box, bottle, vial, bag, tube, piece' }, example: '盒' },
    { key: 'unitsPerPackage', header: { 'zh-CN': '包装数量', 'en-US': 'Units per package' }, parser: integer({ min: 1, max: 100000 }), note: { 'zh-CN': '每个包装内的最小单位数，空 = 1', 'en-US': 'Dose units per package; blank = 1' }, example: '24' },
    { key: 'approvalNumber', header: { 'zh-CN': '批准文号', 'en-US': 'Approval number' }, required: true, parser: text({ schema: approvalNumberSchema }), note: { 'zh-CN': '国药准字H20043225，或进口药品注册证号如 H20170001', 'en-US': '国药准字H20043225, or an import registration number like H20170001' }, example: '国药准字H44021351', width: 20 },
    { key: 'manufacturer', header: { 'zh-CN': '生产企业', 'en-US': 'Manufacturer' }, required: true, parser: text({ max: 100 }), note: { 'zh-CN': '生产企业全称', 'en-US': 'Full name of the manufacturer' }, example: '华康制药有限公司', width: 24 },
    { key: 'storageCondition', header: { 'zh-CN': '储存条件', 'en-US': 'Storage' }, parser: enumOf(enumOptions('storageCondition')), note: { 'zh-CN': '常温、阴凉、冷链 2–8 °C；空 = 常温', 'en-US': 'Blank = room temperature' }, example: '阴凉' },
    { key: 'prescriptionClass', header: { 'zh-CN': '处方分类', 'en-US': 'Prescription class' }, required: true, parser: enumOf(enumOptions('prescriptionClass')), note: { 'zh-CN': '处方药、甲类OTC、乙类OTC', 'en-US': 'Rx, OTC class A, OTC class B' }, example: '处方药' },
    { key: 'reimbursementClass', header: { 'zh-CN': '医保类别', 'en-US': 'Reimbursement' }, parser: enumOf(enumOptions('reimbursementClass')), note: { 'zh-CN': '医保甲类、医保乙类、非医保；空 = 非医保', 'en-US': 'Blank = not reimbursed' }, example: '医保甲类' },
    { key: 'barcode', header: { 'zh-CN': '条形码', 'en-US': 'Barcode' }, parser: text({ schema: barcodeSchema }), note: { 'zh-CN': '13 位 EAN-13，可空', 'en-US': '13-digit EAN-13, optional' }, example: '6901234567892' },
    { key: 'productLineId', header: { 'zh-CN': '产品线', 'en-US': 'Product line' }, parser: reference({ what: 'product_line', load: (db) => loadLines(db), dropDown: true }), note: { 'zh-CN': '已有产品线名称，可空', 'en-US': 'An existing product line, optional' }, example: '' },
  ],

  async validate(db, rows) {
    const problems = new Map<number, StoredCellError[]>();
    const add = (row: number, e: StoredCellError) => problems.set(row, [...(problems.get(row) ?? []), e]);
    const values = rows.map((r) => ({ row: r.row, v: r.values as unknown as Values }));
    const firstCode = new Map<string, number>();
    const firstIdentity = new Map<string, number>();
    for (const { row, v } of values) {
      const c = firstCode.get(v.code);
      if (c === undefined) firstCode.set(v.code, row);
      else add(row, { column: 'code', code: 'IMPORT_DUPLICATE_IN_FILE', params: { value: v.code, row: c } });
      const k = identityKey(v);
      const i = firstIdentity.get(k);
      if (i === undefined) firstIdentity.set(k, row);
      else add(row, { column: 'specification', code: 'IMPORT_DUPLICATE_IN_FILE', params: { value: `${v.genericName} ${v.specification}`, row: i } });
    }
    const existing = await existingProductKeys(db, values.map((x) => x.v));
    for (const { row, v } of values) {
      if (existing.codes.has(v.code)) add(row, { column: 'code', code: 'PRODUCT_CODE_TAKEN', params: { code: v.code } });
      if (existing.identities.has(identityKey(v))) add(row, { column: 'specification', code: 'PRODUCT_DUPLICATE', params: v });
    }
    return problems;
  },

  async commit(tx, actor, rows) {
    await insertProducts(
      tx,
      actor,
      rows.map((r) => {
        const v = r.values as unknown as Values;
        return {
          ...v,
          unitsPerPackage: v.unitsPerPackage ?? 1,
          storageCondition: v.storageCondition ?? 'normal',
          reimbursementClass: v.reimbursementClass ?? 'none',
          notes: null,
          status: 'active' as const,
        };
      }),
    );
    return { committed: rows.length };
  },
};
