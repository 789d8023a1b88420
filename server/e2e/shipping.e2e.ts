import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCompany } from '../src/demo/demo-company.js';
import { seedReferenceData } from '../src/demo/reference-data.js';
import { openDatabase } from '../src/kernel/db/client.js';
import { applyMigrations } from '../src/kernel/db/migrate.js';
import { configureSecrets } from '../src/kernel/secrets.js';
import { EXPIRY_LATE, makeProduct, makeQualifiedCustomer, receiveStock, releasedOrder } from '../test/shipping-fixtures.js';
import { loginPage, type Running, screenshot, startProduct } from './harness.js';

// DOMAIN.md flow 2, the shipping part: the warehouse cuts a shipment from a released order, a second
// person checks it (four eyes), the warehouse dispatches it with the carrier, and the delivery note prints.
// Orders are entered by another module: the released order with its FEFO reservation is put into the
// database before the server starts.
let product: Running;
let orderNumber = '';
beforeAll(async () => {
  product = await startProduct({
    prepare: async (dataDir) => {
      configureSecrets(dataDir);
      const database = await openDatabase({ dataDir });
      try {
        await applyMigrations(database);
        await seedReferenceData(database.db);
        await loadDemoCompany(database.db, { customers: false });
        const customerId = await makeQualifiedCustomer(database.db, { name: '上海发货测试医院' });
        const productId = await makeProduct(database.db, { name: '发货测试片' });
        await receiveStock(database.db, { productId, batchNo: 'E2E-2030A', expiresOn: EXPIRY_LATE, quantity: 50 });
        orderNumber = (await releasedOrder(database.db, customerId, [{ productId, quantity: 12 }])).number;
      } finally {
        await database.close();
      }
    },
  });
});
afterAll(async () => {
  await product?.stop();
});

describe('shipping an order in the browser', () => {
  it('creates a shipment from a released order, has it checked by a second person, dispatches it and prints the delivery note', async () => {
    const logistics = await loginPage(product, 'shipping-logistics', 'logistics');
    await logistics.goto(`${product.baseUrl}/shipments`);
    await logistics.getByTestId('create-shipment').click();
    await logistics.getByRole('cell', { name: orderNumber }).click();
    await logistics.waitForURL(/\/shipments\/new\?orderId=\d+$/);
    await logistics.getByText('E2E-2030A').waitFor();
    await screenshot(logistics, 'shipment-new');
    await logistics.getByTestId('submit-shipment').click();
    await logistics.waitForURL(/\/shipments\/\d+$/);
    const shipmentUrl = logistics.url();
    await logistics.getByText('拣货中').first().waitFor();
    // The picker may not check their own shipment.
    expect(await logistics.getByTestId('check-shipment').isDisabled()).toBe(true);

    const admin = await loginPage(product, 'shipping-admin', 'admin');
    await admin.goto(shipmentUrl);
    await admin.getByTestId('check-shipment').click();
    await admin.getByText('已复核').first().waitFor();

    await logistics.reload();
    await logistics.getByTestId('dispatch-shipment').click();
    await logistics.locator('.ant-modal #carrier').fill('顺丰速运');
    await logistics.locator('.ant-modal #trackingNo').fill('SF9988776655');
    await logistics.locator('.ant-modal').getByRole('button', { name: /^发\s?出$/ }).click();
    await logistics.getByText('已发出，库存已出库').waitFor();
    await logistics.getByText('SF9988776655').first().waitFor();
    await screenshot(logistics, 'shipment-dispatched');

    await logistics.getByTestId('print-menu').hover();
    const [note] = await Promise.all([logistics.context().waitForEvent('page'), logistics.getByText('随货同行单（A4）').click()]);
    await note.getByRole('heading', { name: '随货同行单' }).waitFor();
    const text = await note.locator('body').innerText();
    expect(text).toContain('E2E-2030A');
    expect(text).toContain(EXPIRY_LATE);
    expect(text).toContain('上海发货测试医院');
    expect(text).toMatch(/国药准字H2026\d{4}/);
    await screenshot(note, 'delivery-note-a4');
  });
});
