/**
 * 随货同行单 (delivery note) and 拣货单 (picking list) of a shipment. GSP requires the delivery note to
 * travel with the goods and to name, per line, product, specification, batch, expiry, quantity, unit,
 * manufacturer and approval number (批准文号); cold-chain goods carry their temperature record.
 * Both print through the kernel (server/src/kernel/print): A4 or the 241 mm continuous form.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { type Queryable, rowsOf } from '../../kernel/db/client.js';
import type { Locale } from '../../kernel/i18n.js';
import type { PrintTemplate } from '../../kernel/print/document.js';
import { PRODUCT_LABELS } from '../products/products.labels.js';
import { getShipment, type ShipmentDetail } from './shipping.service.js';

export type ShipmentPrint = { company: string; shipment: ShipmentDetail; customerAddress: string | null };

/** The shipment's print data for an actor who may see it (404 otherwise). */
export async function getShipmentPrint(db: Queryable, actor: Actor, id: number): Promise<ShipmentPrint> {
  const shipment = await getShipment(db, actor, id);
  const [root] = rowsOf<{ name: string }>(await db.execute(sql`select name from departments where parent_id is null order by id limit 1`));
  const [customer] = rowsOf<{ address: string | null }>(await db.execute(sql`select address from customers where id = ${shipment.customerId}`));
  return { company: root?.name ?? '', shipment, customerAddress: customer?.address ?? null };
}

const TEXT = {
  'zh-CN': {
    title: '随货同行单',
    picking: '拣货单',
    customer: '收货单位',
    shipTo: '收货地址',
    contact: '收货人/电话',
    order: '订单号',
    date: '发货日期',
    warehouse: '发货仓库',
    carrier: '承运方式/单号',
    product: '品名',
    spec: '规格',
    batch: '批号',
    expiry: '有效期至',
    quantity: '数量',
    unit: '单位',
    manufacturer: '生产企业',
    approval: '批准文号',
    produced: '生产日期',
    total: '合计数量',
    coldChain: '冷链运输记录',
    logger: '温度记录仪编号',
    startTemp: '启运温度',
    endTemp: '到货温度',
    coldNote: '本单含冷藏药品（2–8 ℃），须全程冷链运输，收货时核对温度记录。',
    shipper: '发货人：',
    checker: '复核人：',
    receiver: '收货人：',
    signDate: '日期：',
    picker: '拣货人：',
    footer: '本单随货同行，收货单位核对无误后签字盖章，一联留存。',
    notDispatched: '未发出',
  },
  'en-US': {
    title: 'Delivery note',
    picking: 'Picking list',
    customer: 'Consignee',
    shipTo: 'Ship to',
    contact: 'Contact / phone',
    order: 'Order',
    date: 'Date',
    warehouse: 'Warehouse',
    carrier: 'Carrier / tracking',
    product: 'Product',
    spec: 'Spec.',
    batch: 'Batch',
    expiry: 'Expiry',
    quantity: 'Qty',
    unit: 'Unit',
    manufacturer: 'Manufacturer',
    approval: 'Approval no.',
    produced: 'Manufactured',
    total: 'Total quantity',
    coldChain: 'Cold-chain record',
    logger: 'Temperature logger',
    startTemp: 'Start temperature',
    endTemp: 'Arrival temperature',
    coldNote: 'Contains refrigerated goods (2–8 °C): keep the cold chain throughout and check the temperature record on receipt.',
    shipper: 'Shipped by:',
    checker: 'Checked by:',
    receiver: 'Received by:',
    signDate: 'Date:',
    picker: 'Picked by:',
    footer: 'Travels with the goods; the consignee checks, signs, stamps and keeps one copy.',
    notDispatched: 'not dispatched',
  },
} as const;

const unitOf = (unit: string, locale: Locale) => PRODUCT_LABELS.packageUnit[unit as keyof typeof PRODUCT_LABELS.packageUnit]?.[locale] ?? unit;
const tempText = (tenths: number | null) => (tenths == null ? '' : `${(tenths / 10).toFixed(1)} ℃`);

export const deliveryNoteTemplate: PrintTemplate<ShipmentPrint> = {
  fileName: ({ shipment }, { locale }) => `${locale === 'zh-CN' ? '随货同行单' : 'delivery-note'}-${shipment.number}`,
  build: ({ company, shipment: s, customerAddress }, { locale }) => {
    const t = TEXT[locale];
    const total = s.lines.reduce((n, l) => n + l.quantity, 0);
    return {
      company,
      title: t.title,
      reference: `No. ${s.number}`,
      blocks: [
        {
          kind: 'fields',
          columns: 3,
          fields: [
            { label: t.customer, value: s.customerName },
            { label: t.order, value: s.orderNumber },
            { label: t.date, value: s.dispatchedOn ?? t.notDispatched },
            { label: t.shipTo, value: s.shipToAddress ?? customerAddress ?? '', wide: true },
            { label: t.contact, value: [s.shipToContact, s.shipToPhone].filter(Boolean).join(' ') },
            { label: t.warehouse, value: s.warehouseName },
            { label: t.carrier, value: [s.carrier, s.trackingNo].filter(Boolean).join(' ') },
          ],
        },
        {
          kind: 'table',
          columns: [
            { label: t.product, widthPct: 17 },
            { label: t.spec, widthPct: 11 },
            { label: t.batch, widthPct: 11 },
            { label: t.expiry, widthPct: 10 },
            { label: t.quantity, widthPct: 7, align: 'right' },
            { label: t.unit, widthPct: 5, align: 'center' },
            { label: t.manufacturer, widthPct: 20 },
            { label: t.approval, widthPct: 19 },
          ],
          rows: [
            ...s.lines.map((l) => [l.productName, l.specification, l.batchNo, l.expiresOn, String(l.quantity), unitOf(l.packageUnit, locale), l.manufacturer, l.approvalNumber]),
            [t.total, '', '', '', String(total), '', '', ''],
          ],
        },
        ...(s.coldChain
          ? [
              { kind: 'paragraph' as const, text: t.coldNote },
              {
                kind: 'fields' as const,
                columns: 3 as const,
                fields: [
                  { label: t.logger, value: s.temperatureLoggerId ?? '' },
                  { label: t.startTemp, value: tempText(s.startTempTenths) },
                  { label: t.endTemp, value: tempText(s.endTempTenths) },
                ],
              },
            ]
          : []),
        { kind: 'signatures', labels: [t.shipper, t.checker, t.receiver], dateLabel: t.signDate },
      ],
      footer: t.footer,
    };
  },
};

/** 拣货单: what the warehouse takes from which batch, in expiry order (A4). */
export const pickingListTemplate: PrintTemplate<ShipmentPrint> = {
  fileName: ({ shipment }, { locale }) => `${locale === 'zh-CN' ? '拣货单' : 'picking-list'}-${shipment.number}`,
  build: ({ company, shipment: s }, { locale }) => {
    const t = TEXT[locale];
    return {
      company,
      title: t.picking,
      reference: `No. ${s.number}`,
      blocks: [
        {
          kind: 'fields',
          columns: 3,
          fields: [
            { label: t.warehouse, value: s.warehouseName },
            { label: t.order, value: s.orderNumber },
            { label: t.customer, value: s.customerName },
          ],
        },
        {
          kind: 'table',
          columns: [
            { label: t.product, widthPct: 26 },
            { label: t.spec, widthPct: 16 },
            { label: t.batch, widthPct: 16 },
            { label: t.produced, widthPct: 12 },
            { label: t.expiry, widthPct: 12 },
            { label: t.quantity, widthPct: 10, align: 'right' },
            { label: t.unit, widthPct: 8, align: 'center' },
          ],
          rows: s.lines.map((l) => [l.productName, l.specification, l.batchNo, l.manufacturedOn ?? '', l.expiresOn, String(l.quantity), unitOf(l.packageUnit, locale)]),
        },
        ...(s.coldChain ? [{ kind: 'paragraph' as const, text: t.coldNote }] : []),
        { kind: 'signatures', labels: [t.picker, t.checker], dateLabel: t.signDate },
      ],
    };
  },
};
