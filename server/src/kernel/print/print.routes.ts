import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { PRINT_SCRIPT_URL } from './html.js';
import { LAYOUT_NAMES } from './layouts.js';

const script = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'print-button.js'));

/** The query every print route takes: which paper. */
export const printQuery = z.object({ layout: z.enum(LAYOUT_NAMES).default('a4') });

/** Serves the print view's one static script (outside /api: it holds no data and needs no login). */
export async function printRoutes(app: FastifyInstance) {
  app.get(PRINT_SCRIPT_URL, { schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(script),
  );
}

/** A print view holds personal or business data: never cached, never framed. */
export function sendPrintHtml(reply: FastifyReply, page: string) {
  return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
}

export function sendPdf(reply: FastifyReply, fileName: string, body: Buffer, disposition: 'inline' | 'attachment' = 'attachment') {
  const name = `${fileName}.pdf`;
  return reply
    .header('content-type', 'application/pdf')
    .header('cache-control', 'no-store')
    .header('content-disposition', `${disposition}; filename="${name.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '')}"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .send(body);
}
