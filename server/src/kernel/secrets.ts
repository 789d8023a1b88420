import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Secrets we must be able to read back (SMTP password, tender platform passwords) are stored
 * encrypted with AES-256-GCM: `v1:` + base64(iv | tag | ciphertext). The key comes from
 * RXDESK_SECRET_KEY (base64 of 32 bytes) or, when that is unset, from `secret.key` in the data
 * directory, generated once with mode 0600. Losing the key means re-entering the secrets.
 */
const KEY_FILE = 'secret.key';
let configuredDataDir: string | null = null;
let cachedKey: Buffer | null = null;

/** Called by main.ts with the data directory; tests set RXDESK_SECRET_KEY instead. */
export function configureSecrets(dataDir: string): void {
  configuredDataDir = dataDir;
  cachedKey = null;
}

export function secretKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.RXDESK_SECRET_KEY) {
    const key = Buffer.from(env.RXDESK_SECRET_KEY, 'base64');
    if (key.length !== 32) throw new Error('RXDESK_SECRET_KEY must be the base64 encoding of 32 bytes');
    return key;
  }
  if (cachedKey) return cachedKey;
  if (!configuredDataDir) throw new Error('no secret key: set RXDESK_SECRET_KEY or call configureSecrets(dataDir)');
  cachedKey = loadOrCreateKeyFile(configuredDataDir);
  return cachedKey;
}

/** Reads the key file, creating it (0600, exclusive create so two starting processes agree) if absent. */
export function loadOrCreateKeyFile(dataDir: string): Buffer {
  const file = path.join(dataDir, KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return key;
}

export function encryptSecret(plain: string, key: Buffer = secretKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
}

/** Throws if the text was altered or encrypted under another key. */
export function decryptSecret(stored: string, key: Buffer = secretKey()): string {
  if (!stored.startsWith('v1:')) throw new Error('unknown secret format');
  const raw = Buffer.from(stored.slice(3), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
