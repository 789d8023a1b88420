import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { DomainError } from '../errors.js';
import { requestLocale } from '../http/errors-handler.js';
import { actorOf } from '../http/security.js';
import { sendXlsx } from './export.js';
import { buildErrorFile, buildTemplate, type Importer } from './import.js';
import { assertMayImportAny, batchErrorRows, commitBatch, getBatch, validateUpload } from './import.service.js';

/** Largest accepted upload: a 20,000-row xlsx of a wide list is ~3 MB. */
export const IMPORT_FILE_LIMIT = 10 * 1024 * 1024;

const batchView = z.object({
  batchId: z.number().int(),
  kind: z.string(),
  filename: z.string(),
  status: z.enum(['validated', 'committing', 'committed', 'failed']),
  total: z.number().int(),
  valid: z.number().int(),
  committed: z.number().int(),
  createdAt: z.date(),
  errors: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })),
});
const commitView = batchView.extend({
  result: z.object({
    committed: z.number().int(),
    handOver: z.array(z.object({ row: z.number().int(), label: z.string(), secret: z.string() })).optional(),
  }),
});
const idParams = z.object({ id: z.coerce.number().int().positive() });

/**
 * Routes of the import framework: per kind a template and an upload (guarded by the importer's
 * permission), and for every batch its summary, commit and error file (the batch's kind decides the
 * permission, checked in the service).
 */
export function importRoutes(importers: Importer<unknown>[]) {
  return async function registerImportRoutes(app: FastifyInstance, { db }: AppContext) {
    const r = app.withTypeProvider<ZodTypeProvider>();

    for (const importer of importers) {
      r.get(`/api/imports/${importer.kind}/template.xlsx`, {
        config: { access: importer.permission },
        schema: { tags: ['imports'], summary: `Excel template for importing ${importer.kind}: headers, an example row, drop-downs and notes` },
        handler: async (req, reply) => {
          const locale = requestLocale(req);
          const body = await buildTemplate(db, importer, locale);
          return sendXlsx(reply, `${importer.title[locale]}${locale === 'zh-CN' ? '导入模板' : '-import-template'}.xlsx`, body);
        },
      });
      r.post(`/api/imports/${importer.kind}`, {
        config: { access: importer.permission },
        schema: {
          tags: ['imports'],
          summary: `Upload an xlsx or csv (UTF-8 or GBK) of ${importer.kind}: every row is validated, nothing is written yet`,
          consumes: ['multipart/form-data'],
          response: { 200: batchView },
        },
        handler: async (req) => {
          if (!req.isMultipart()) throw new DomainError('IMPORT_FILE_MISSING', {}, 400);
          const part = await req.file({ limits: { fileSize: IMPORT_FILE_LIMIT } });
          if (!part) throw new DomainError('IMPORT_FILE_MISSING', {}, 400);
          let buffer: Buffer;
          try {
            buffer = await part.toBuffer();
          } catch (err) {
            if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
              throw new DomainError('IMPORT_FILE_TOO_LARGE', { mb: IMPORT_FILE_LIMIT / 1024 / 1024 }, 422);
            }
            throw err;
          }
          return validateUpload(db, actorOf(req), importer, { buffer, filename: part.filename || 'upload' });
        },
      });
    }

    // Before the body is validated, so that a caller who may import nothing always gets 403.
    const mayImportSomething = async (req: FastifyRequest) => assertMayImportAny(actorOf(req), importers);

    r.get('/api/imports/batches/:id', {
      config: { access: 'authenticated' },
      onRequest: mayImportSomething,
      schema: { tags: ['imports'], summary: 'An import batch with its row errors (the uploader’s own; administrators see all)', params: idParams, response: { 200: batchView } },
      handler: async (req) => getBatch(db, actorOf(req), importers, req.params.id),
    });
    r.post('/api/imports/batches/:id/commit', {
      config: { access: 'authenticated' },
      onRequest: mayImportSomething,
      schema: {
        tags: ['imports'],
        summary: 'Write a validated batch: all_or_nothing refuses if any row has an error; valid_only writes the valid rows',
        params: idParams,
        body: z.object({ mode: z.enum(['all_or_nothing', 'valid_only']) }),
        response: { 200: commitView },
      },
      handler: async (req) => commitBatch(db, actorOf(req), importers, req.params.id, req.body.mode),
    });
    r.get('/api/imports/batches/:id/errors.xlsx', {
      config: { access: 'authenticated' },
      onRequest: mayImportSomething,
      schema: { tags: ['imports'], summary: 'The rejected rows of a batch as written, with an error column, for correction', params: idParams },
      handler: async (req, reply) => {
        const locale = requestLocale(req);
        const { importer, batch, rows } = await batchErrorRows(db, actorOf(req), importers, req.params.id);
        const body = await buildErrorFile(importer, rows, locale);
        return sendXlsx(reply, `${importer.title[locale]}-${locale === 'zh-CN' ? '错误行' : 'errors'}-${batch.id}.xlsx`, body);
      },
    });
  };
}
