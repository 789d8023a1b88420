import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { audit } from '../audit/audit.js';
import { approvalTrail } from '../approvals/approvals.service.js';
import { notFound } from '../errors.js';
import { actorOf } from '../http/security.js';
import { documentTypes, documentType, recordEvent, timeline } from './lifecycle.js';
import { documentNumberPatterns } from './documents.tables.js';
import { patternFor, validatePattern } from './numbering.js';
import fs from 'node:fs';
import { deleteAttachment, listAttachments, MAX_ATTACHMENT_BYTES, openAttachment, saveAttachment } from '../files/attachments.js';
import { DomainError } from '../errors.js';

const docParams = z.object({ type: z.string().regex(/^[a-z_]{2,40}$/), id: z.coerce.number().int().positive() });
const event = z.object({
  id: z.number().int(),
  at: z.date(),
  kind: z.string(),
  actorName: z.string().nullable(),
  onBehalfOfName: z.string().nullable(),
  transition: z.string().nullable(),
  fromState: z.string().nullable(),
  toState: z.string().nullable(),
  comment: z.string().nullable(),
  data: z.unknown(),
});

/** What every document type gets: its timeline (with comments), approval trail, and number patterns. */
export async function documentsRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/documents/:type/:id/timeline', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['documents'],
      summary: 'Everything that happened to a document, oldest first, with its approval trail (404 if you may not see it)',
      params: docParams,
      response: {
        200: z.object({
          events: z.array(event),
          states: z.record(z.string(), z.string()),
          approvals: z.array(
            z.object({
              id: z.number().int(),
              status: z.string(),
              submittedAt: z.date(),
              decidedAt: z.date().nullable(),
              tasks: z.array(z.object({ id: z.number().int(), stepSeq: z.number().int(), stepName: z.string(), mode: z.string(), approverName: z.string(), decidedByName: z.string().nullable(), status: z.string(), comment: z.string().nullable(), decidedAt: z.date().nullable() })),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const actor = actorOf(req);
      const def = documentType(req.params.type);
      if (!(await def.loadVisible(db, actor, req.params.id))) throw notFound();
      const [events, approvals] = await Promise.all([timeline(db, def.type, req.params.id), approvalTrail(db, def.type, req.params.id)]);
      return {
        events: events.map(({ docType: _t, docId: _d, actorId: _a, onBehalfOfId: _o, ...e }) => e),
        states: Object.fromEntries(Object.entries(def.states).map(([k, v]) => [k, v[actor.locale]])),
        approvals: approvals.map(({ tasks, ...a }) => ({ ...a, tasks: tasks.map(({ requestId: _, ...t }) => t) })),
      };
    },
  });

  r.post('/api/documents/:type/:id/comments', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['documents'],
      summary: 'Comment on a document you may see; the comment joins its timeline',
      params: docParams,
      body: z.object({ text: z.string().trim().min(1).max(2000) }),
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      const actor = actorOf(req);
      const def = documentType(req.params.type);
      await db.transaction(async (tx) => {
        if (!(await def.loadVisible(tx, actor, req.params.id))) throw notFound();
        await recordEvent(tx, actor, def.type, req.params.id, { kind: 'comment', comment: req.body.text });
        await audit(tx, actor, { action: `${def.type}.commented`, entity: def.type, entityId: req.params.id, after: { text: req.body.text } });
      });
      return reply.code(204).send(null);
    },
  });

  r.get('/api/document-types', {
    config: { access: 'documents.configure' },
    schema: {
      tags: ['documents'],
      summary: 'Document types with their states, transitions and number patterns',
      response: {
        200: z.object({
          items: z.array(z.object({ type: z.string(), name: z.string(), numberPattern: z.string(), defaultPattern: z.string(), states: z.record(z.string(), z.string()), transitions: z.array(z.object({ name: z.string(), label: z.string(), from: z.array(z.string()), to: z.string(), system: z.boolean() })) })),
        }),
      },
    },
    handler: async (req) => {
      const actor = actorOf(req);
      const items = [];
      for (const def of documentTypes()) {
        const numberPattern = await db.transaction((tx) => patternFor(tx, def.type, def.numberPattern));
        items.push({
          type: def.type,
          name: def.name[actor.locale],
          numberPattern,
          defaultPattern: def.numberPattern,
          states: Object.fromEntries(Object.entries(def.states).map(([k, v]) => [k, v[actor.locale]])),
          transitions: Object.entries(def.transitions).map(([name, t]) => ({ name, label: t.label[actor.locale], from: t.from, to: t.to, system: !!t.system })),
        });
      }
      return { items };
    },
  });

  r.put('/api/document-types/:type/number-pattern', {
    config: { access: 'documents.configure' },
    schema: {
      tags: ['documents'],
      summary: 'Set the number pattern of a document type, e.g. SO-{yyyy}{mm}-{seq:5}',
      params: z.object({ type: z.string().regex(/^[a-z_]{2,40}$/) }),
      body: z.object({ pattern: z.string().trim().min(3).max(60) }),
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      const actor = actorOf(req);
      const def = documentType(req.params.type);
      validatePattern(req.body.pattern);
      await db.transaction(async (tx) => {
        const before = await patternFor(tx, def.type, def.numberPattern);
        await tx
          .insert(documentNumberPatterns)
          .values({ docType: def.type, pattern: req.body.pattern })
          .onConflictDoUpdate({ target: documentNumberPatterns.docType, set: { pattern: req.body.pattern, updatedAt: new Date() } });
        await audit(tx, actor, { action: 'document_type.number_pattern_changed', entity: 'document_type', entityId: def.type, before: { pattern: before }, after: { pattern: req.body.pattern } });
      });
      return reply.code(204).send(null);
    },
  });

  const attachment = z.object({ id: z.number().int(), filename: z.string(), contentType: z.string(), sizeBytes: z.number().int(), uploadedBy: z.number().int(), uploadedByName: z.string(), uploadedAt: z.date() });
  r.get('/api/documents/:type/:id/attachments', {
    config: { access: 'authenticated' },
    schema: { tags: ['documents'], summary: 'Files attached to a document you may see', params: docParams, response: { 200: z.object({ items: z.array(attachment) }) } },
    handler: async (req) => ({ items: await listAttachments(db, actorOf(req), req.params.type, req.params.id) }),
  });
  r.post('/api/documents/:type/:id/attachments', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['documents'],
      summary: 'Attach a file (multipart field "file"; office, image, PDF/OFD and archive types up to 20 MB)',
      consumes: ['multipart/form-data'],
      params: docParams,
      response: { 200: attachment },
    },
    handler: async (req) => {
      const file = await req.file({ limits: { fileSize: MAX_ATTACHMENT_BYTES } });
      if (!file) throw new DomainError('ATTACHMENT_FILE_REQUIRED', {}, 422, [{ path: 'file', code: 'ATTACHMENT_FILE_REQUIRED' }]);
      return saveAttachment(db, actorOf(req), config.filesDir, { docType: req.params.type, docId: req.params.id }, {
        filename: file.filename,
        stream: file.file,
        truncated: () => file.file.truncated,
      });
    },
  });
  r.get('/api/attachments/:id/download', {
    config: { access: 'authenticated' },
    schema: { tags: ['documents'], summary: 'Download an attachment (same access as its document)', params: z.object({ id: z.coerce.number().int().positive() }) },
    handler: async (req, reply) => {
      const { row, path } = await openAttachment(db, actorOf(req), config.filesDir, req.params.id);
      return reply
        .header('content-type', row.contentType)
        .header('content-disposition', `attachment; filename="${row.filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '')}"; filename*=UTF-8''${encodeURIComponent(row.filename)}`)
        .header('content-length', String(row.sizeBytes))
        .header('cache-control', 'private, no-store')
        .send(fs.createReadStream(path));
    },
  });
  r.delete('/api/attachments/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['documents'], summary: 'Remove an attachment (its uploader, or a document administrator)', params: z.object({ id: z.coerce.number().int().positive() }), response: { 204: z.null() } },
    handler: async (req, reply) => {
      await deleteAttachment(db, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });
}
