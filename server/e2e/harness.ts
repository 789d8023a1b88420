import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';

const serverDir = path.resolve(__dirname, '..');
export const artifactsDir = path.resolve(serverDir, '..', 'e2e-artifacts');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export type Running = { baseUrl: string; browser: Browser; stop: () => Promise<void>; output: () => string };

/**
 * Starts `npm start`'s server on a fresh data directory and a headless Chromium. `prepare` may fill the
 * data directory's database first (e.g. records whose own screens are not built yet). Without `prepare`,
 * or with `fromTemplate`, the directory starts as a copy of what a first start builds (e2e/global-setup.ts),
 * which saves each file loading the demo company again.
 */
export async function startProduct(options: { prepare?: (dataDir: string) => Promise<void>; fromTemplate?: boolean } = {}): Promise<Running> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxdesk-e2e-'));
  const template = process.env.RXDESK_E2E_TEMPLATE;
  if (template && (!options.prepare || options.fromTemplate)) fs.cpSync(template, dataDir, { recursive: true });
  if (options.prepare) await options.prepare(dataDir);
  let output = '';
  const child: ChildProcess = spawn('npx', ['tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    baseUrl,
    browser,
    output: () => output,
    stop: async () => {
      await browser.close().catch(() => {});
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await new Promise((r) => setTimeout(r, 300));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
}

/**
 * A new page (its own context) logged in as a demo user and back on the home page; a screenshot
 * named `failed-<name>` is kept if the test fails. `options` adds to or replaces the 1440 × 900 viewport.
 */
export async function loginPage(product: Running, name: string, username: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await product.browser.newPage({ viewport: { width: 1440, height: 900 }, ...options });
  onTestFailed(async () => {
    if (!page.isClosed()) await screenshot(page, `failed-${name}`);
  });
  await page.goto(`${product.baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill('rxdesk2026');
  await page.getByTestId('login-submit').click();
  await page.getByText('欢迎，').waitFor();
  return page;
}
