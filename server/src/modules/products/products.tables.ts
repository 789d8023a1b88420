import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, check, date, index, integer, pgTable, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { territories, users } from '../../kernel/access/access.tables.js';
import { CUSTOMER_TYPES, customers } from '../customers/customers.tables.js';

/** 剂型: the dosage forms of the catalogue (the 中国药典 names the office uses). */
export const DOSAGE_FORMS = [
  'tablet', // 片剂
  'capsule', // 胶囊剂
  'injection', // 注射剂
  'powder_injection', // 注射用无菌粉末 (冻干粉针)
  'granule', // 颗粒剂
  'oral_solution', // 口服溶液剂
  'syrup', // 糖浆剂
  'ointment', // 软膏剂
  'eye_drops', // 滴眼剂
  'aerosol', // 气雾剂
  'suppository', // 栓剂
  'pill', // 丸剂
  'patch', // 贴剂
  'other', // 其他
] as const;
export type DosageForm = (typeof DOSAGE_FORMS)[number];

/** 包装单位. */
export const PACKAGE_UNITS = ['box', 'bottle', 'vial', 'bag', 'tube', 'piece'] as const;
export type PackageUnit = (typeof PACKAGE_UNITS)[number];

/** 储存条件: normal 常温, cool 阴凉 (≤ 20 °C), cold_chain 冷藏 2–8 °C. */
export const STORAGE_CONDITIONS = ['normal', 'cool', 'cold_chain'] as const;
export type StorageCondition = (typeof STORAGE_CONDITIONS)[number];

/** 处方分类: 处方药, 甲类非处方药, 乙类非处方药. */
export const PRESCRIPTION_CLASSES = ['rx', 'otc_a', 'otc_b'] as const;
export type PrescriptionClass = (typeof PRESCRIPTION_CLASSES)[number];

/** 医保类别: 甲类, 乙类, 非医保. */
export const REIMBURSEMENT_CLASSES = ['class_a', 'class_b', 'none'] as const;
export type ReimbursementClass = (typeof REIMBURSEMENT_CLASSES)[number];

export const PRODUCT_STATUSES = ['active', 'discontinued'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/** 产品资质 kinds: 药品注册证, 检验报告, 说明书, GMP证书, 价格批文, 其他. */
export const PRODUCT_DOCUMENT_KINDS = ['registration', 'inspection_report', 'package_insert', 'gmp', 'price_approval', 'other'] as const;
export type ProductDocumentKind = (typeof PRODUCT_DOCUMENT_KINDS)[number];

/** 价格类型: 出厂价, 供货价, 中标价, 零售指导价. */
export const PRICE_KINDS = ['ex_factory', 'supply', 'tender', 'retail_guide'] as const;
export type PriceKind = (typeof PRICE_KINDS)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/** 产品线 / 分类: a small tree the catalogue is grouped by. */
export const productLines = pgTable(
  'product_lines',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    sort: integer('sort').notNull().default(0),
    parentId: integer('parent_id').references((): AnyPgColumn => productLines.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('product_lines_name_uq').on(t.name),
    index('product_lines_parent_idx').on(t.parentId),
    check('product_lines_not_own_parent_chk', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
  ],
);

/**
 * 药品: one row per saleable product (generic name + specification + manufacturer). The approval
 * number and the barcode are checked in products.rules.ts; the database keeps the coarse shape.
 */
export const products = pgTable(
  'products',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** 产品编码, unique. */
    code: text('code').notNull(),
    genericName: text('generic_name').notNull(),
    tradeName: text('trade_name'),
    dosageForm: text('dosage_form').$type<DosageForm>().notNull(),
    specification: text('specification').notNull(),
    packageUnit: text('package_unit').$type<PackageUnit>().notNull(),
    /** How many dose units (片, 支, 粒 …) one package holds. */
    unitsPerPackage: integer('units_per_package').notNull().default(1),
    approvalNumber: text('approval_number').notNull(),
    manufacturer: text('manufacturer').notNull(),
    storageCondition: text('storage_condition').$type<StorageCondition>().notNull().default('normal'),
    prescriptionClass: text('prescription_class').$type<PrescriptionClass>().notNull(),
    reimbursementClass: text('reimbursement_class').$type<ReimbursementClass>().notNull().default('none'),
    /** EAN-13 (check digit verified by the service). */
    barcode: varchar('barcode', { length: 13 }),
    status: text('status').$type<ProductStatus>().notNull().default('active'),
    productLineId: integer('product_line_id').references(() => productLines.id),
    /** 增值税率 in basis points (1300 = 13 %); copied onto order lines and invoice lines. */
    vatRateBp: integer('vat_rate_bp').notNull().default(1300),
    /** 安全库存 in the selling unit: below it the stock page warns (缺货预警). */
    safetyStock: integer('safety_stock').notNull().default(0),
    notes: text('notes'),
    /** kernel/pinyin.ts searchText(genericName, tradeName) + code + approval number. */
    searchText: text('search_text').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('products_code_uq').on(t.code),
    uniqueIndex('products_active_identity_uq').on(t.genericName, t.specification, t.manufacturer).where(sql`${t.status} = 'active'`),
    index('products_search_trgm_idx').using('gin', t.searchText.op('gin_trgm_ops')),
    index('products_line_idx').on(t.productLineId),
    index('products_status_idx').on(t.status),
    index('products_storage_idx').on(t.storageCondition),
    index('products_rx_idx').on(t.prescriptionClass),
    index('products_reimbursement_idx').on(t.reimbursementClass),
    index('products_dosage_form_idx').on(t.dosageForm),
    index('products_generic_name_idx').on(t.genericName),
    index('products_approval_number_idx').on(t.approvalNumber),
    index('products_created_by_idx').on(t.createdBy),
    index('products_updated_idx').on(t.updatedAt),
    check('products_dosage_form_chk', sql`${t.dosageForm} in (${inList(DOSAGE_FORMS)})`),
    check('products_package_unit_chk', sql`${t.packageUnit} in (${inList(PACKAGE_UNITS)})`),
    check('products_units_chk', sql`${t.unitsPerPackage} between 1 and 100000`),
    check('products_storage_chk', sql`${t.storageCondition} in (${inList(STORAGE_CONDITIONS)})`),
    check('products_rx_chk', sql`${t.prescriptionClass} in (${inList(PRESCRIPTION_CLASSES)})`),
    check('products_reimbursement_chk', sql`${t.reimbursementClass} in (${inList(REIMBURSEMENT_CLASSES)})`),
    check('products_status_chk', sql`${t.status} in (${inList(PRODUCT_STATUSES)})`),
    check('products_vat_chk', sql`${t.vatRateBp} between 0 and 10000`),
    check('products_safety_stock_chk', sql`${t.safetyStock} >= 0`),
    check('products_barcode_chk', sql`${t.barcode} is null or ${t.barcode} ~ '^[0-9]{13}$'`),
    check('products_names_chk', sql`length(${t.genericName}) > 0 and length(${t.specification}) > 0 and length(${t.manufacturer}) > 0 and length(${t.code}) > 0`),
  ],
);

/**
 * 产品资质: registration certificates, inspection reports … of a product, with files attached
 * through the attachments kernel (document type 'product_document'). expires_on null = long-term.
 */
export const productDocuments = pgTable(
  'product_documents',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    productId: integer('product_id').notNull().references(() => products.id),
    kind: text('kind').$type<ProductDocumentKind>().notNull(),
    number: text('number'),
    issuedOn: date('issued_on', { mode: 'string' }),
    expiresOn: date('expires_on', { mode: 'string' }),
    notes: text('notes'),
    /** Required by the document kernel; product documents have one state. */
    status: text('status').notNull().default('active'),
    createdBy: integer('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('product_documents_product_idx').on(t.productId),
    index('product_documents_expires_idx').on(t.expiresOn),
    index('product_documents_created_by_idx').on(t.createdBy),
    check('product_documents_kind_chk', sql`${t.kind} in (${inList(PRODUCT_DOCUMENT_KINDS)})`),
    check('product_documents_dates_chk', sql`${t.expiresOn} is null or ${t.issuedOn} is null or ${t.expiresOn} >= ${t.issuedOn}`),
  ],
);

/**
 * 价格: every price of a product, by kind and target, valid over a date range ([valid_from,
 * valid_to], valid_to null = open). Targets by kind (checked here, explained in price-resolution.ts):
 * - ex_factory, retail_guide: no target;
 * - supply: a named customer alone, or a customer type and/or a territory;
 * - tender: a province (territory) alone, optionally named after its tender.
 * Two prices of one kind for one product and one target never overlap: an exclusion constraint
 * (prices_no_overlap, btree_gist) added by hand to the migration, since drizzle-kit cannot declare it.
 */
export const prices = pgTable(
  'prices',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    productId: integer('product_id').notNull().references(() => products.id),
    kind: text('kind').$type<PriceKind>().notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    customerType: text('customer_type').$type<(typeof CUSTOMER_TYPES)[number]>(),
    territoryId: varchar('territory_id', { length: 12 }).references(() => territories.id),
    customerId: integer('customer_id').references(() => customers.id),
    tenderName: text('tender_name'),
    notes: text('notes'),
    createdBy: integer('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('prices_product_idx').on(t.productId, t.kind),
    index('prices_kind_idx').on(t.kind),
    index('prices_customer_idx').on(t.customerId),
    index('prices_territory_idx').on(t.territoryId),
    index('prices_customer_type_idx').on(t.customerType),
    index('prices_valid_from_idx').on(t.validFrom),
    index('prices_created_by_idx').on(t.createdBy),
    check('prices_kind_chk', sql`${t.kind} in (${inList(PRICE_KINDS)})`),
    check('prices_amount_chk', sql`${t.amountFen} > 0`),
    check('prices_dates_chk', sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
    check('prices_customer_type_chk', sql`${t.customerType} is null or ${t.customerType} in (${inList(CUSTOMER_TYPES)})`),
    check(
      'prices_target_chk',
      sql`case ${t.kind}
        when 'supply' then (${t.customerId} is not null and ${t.customerType} is null and ${t.territoryId} is null)
                        or (${t.customerId} is null and (${t.customerType} is not null or ${t.territoryId} is not null))
        when 'tender' then ${t.territoryId} is not null and ${t.customerId} is null and ${t.customerType} is null
        else ${t.customerId} is null and ${t.customerType} is null and ${t.territoryId} is null end`,
    ),
    check('prices_tender_name_chk', sql`${t.tenderName} is null or ${t.kind} = 'tender'`),
  ],
);
