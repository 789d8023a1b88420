import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import en from 'zod/v4/locales/en.js';
import zhCN from 'zod/v4/locales/zh-CN.js';
import { DomainError } from '../errors.js';
import { type Locale, pickLocale, translate } from '../i18n.js';

/** Our own validation messages (zod `message` keys), in both languages. */
const fieldMessages: Record<string, Record<Locale, string>> = {
  'password.letters_and_digits': { 'zh-CN': '密码须同时包含字母和数字', 'en-US': 'The password needs both letters and digits' },
  'required': { 'zh-CN': '必填', 'en-US': 'Required' },
  'username.format': { 'zh-CN': '用户名只能包含字母、数字和 _ . @ -', 'en-US': 'Usernames may contain letters, digits and _ . @ - only' },
  'product.approval_number': {
    'zh-CN': '批准文号格式应为 国药准字H20043225（字母 + 8 位数字），或进口药品注册证号如 H20170001',
    'en-US': 'Approval numbers look like 国药准字H20043225 (a letter and 8 digits) or, for imported drugs, H20170001',
  },
  'product.barcode': { 'zh-CN': '条形码应为 13 位 EAN-13 码且校验位正确', 'en-US': 'The barcode must be a 13-digit EAN-13 with a correct check digit' },
  'product.code_format': { 'zh-CN': '产品编码只能包含字母、数字和 _ . -', 'en-US': 'Product codes may contain letters, digits and _ . - only' },
  'money.fen': { 'zh-CN': '金额须为不小于 0 的整数（分），以文本传递', 'en-US': 'Amounts are whole fen, 0 or more, sent as a string of digits' },
  'price.amount_fen': { 'zh-CN': '金额须为大于 0 的整数（分）', 'en-US': 'The amount must be a whole number of fen above 0' },
  'date.format': { 'zh-CN': '日期格式应为 YYYY-MM-DD', 'en-US': 'Dates are written YYYY-MM-DD' },
  'role.code_format': { 'zh-CN': '编码须以小写字母开头，只含小写字母、数字和下划线', 'en-US': 'The code starts with a lowercase letter and has only lowercase letters, digits and underscores' },
};

const zodLocales: Record<Locale, { localeError: (issue: never) => string | { message: string } | null | undefined }> = {
  'zh-CN': zhCN(),
  'en-US': en(),
};

export type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

export function requestLocale(request: FastifyRequest): Locale {
  return pickLocale(request.actor?.locale, request.headers['accept-language']);
}

/** The message of one zod issue in the user's language (our own keys first, then zod's locale). */
export function fieldMessage(locale: Locale, issue: Record<string, unknown>): string {
  const own = typeof issue.message === 'string' ? fieldMessages[issue.message] : undefined;
  if (own) return own[locale];
  if (issue.code === 'invalid_type' && issue.input === undefined) return fieldMessages.required[locale];
  const out = zodLocales[locale].localeError(issue as never);
  const text = typeof out === 'string' ? out : out?.message;
  return text ?? String(issue.message ?? '');
}

export function sendError(reply: FastifyReply, status: number, body: ErrorBody) {
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** Maps PostgreSQL constraint errors (from either driver, possibly wrapped by Drizzle) to API errors. */
function pgErrorOf(err: unknown): { code: string; constraint?: string } | null {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c)) return { code: c, constraint: (e as { constraint?: string }).constraint };
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | DomainError | Error, request, reply) => {
    const locale = requestLocale(request);
    if (err instanceof DomainError) {
      return sendError(reply, err.status, {
        error: {
          code: err.code,
          message: translate(err.code, locale, err.params),
          ...(err.fields ? { fields: err.fields.map((f) => ({ path: f.path, message: translate(f.code, locale, f.params) })) } : {}),
        },
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = err.validation.map((v) => ({
        path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
        message: fieldMessage(locale, { code: v.keyword, message: v.message, ...(v.params as object) }),
      }));
      return sendError(reply, 400, { error: { code: 'VALIDATION_FAILED', message: translate('VALIDATION_FAILED', locale), fields } });
    }
    const pgError = pgErrorOf(err);
    if (pgError) {
      const map: Record<string, [number, string]> = {
        '23505': [409, 'DUPLICATE'],
        '23503': [409, 'REFERENCED'],
        '23514': [422, 'CONSTRAINT'],
        '23P01': [409, 'CONSTRAINT'],
        '40001': [409, 'CONFLICT_VERSION'],
        '40P01': [409, 'CONFLICT_VERSION'],
      };
      const hit = map[pgError.code];
      if (hit) {
        request.log.warn({ err, constraint: pgError.constraint }, 'constraint refused a write');
        return sendError(reply, hit[0], {
          error: { code: hit[1], message: translate(hit[1], locale, { constraint: pgError.constraint ?? '' }) },
        });
      }
    }
    const status = (err as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
      return sendError(reply, status, { error: { code, message: translate(code, locale) } });
    }
    request.log.error({ err }, 'unhandled error');
    return sendError(reply, 500, { error: { code: 'INTERNAL', message: translate('INTERNAL', locale) } });
  });
}
