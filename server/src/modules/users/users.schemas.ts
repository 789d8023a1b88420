import { z } from 'zod';
import { LOCALES } from '../../kernel/access/access.tables.js';
import { passwordSchema } from '../../kernel/auth/passwords.js';
import { pageQuery, queryBoolean } from '../../kernel/http/paging.js';

export const userRow = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  locale: z.enum(LOCALES),
  mustChangePassword: z.boolean(),
  department: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  roles: z.array(z.object({ id: z.number().int(), code: z.string(), name: z.string() })),
  territories: z.array(z.object({ id: z.string(), name: z.string() })),
  lastLoginAt: z.date().nullable(),
  createdAt: z.date(),
  version: z.number().int(),
});

export const userFilter = z.object({
  q: z.string().trim().max(60).optional(),
  departmentId: z.coerce.number().int().positive().optional(),
  includeSubDepartments: queryBoolean.optional(),
  roleId: z.coerce.number().int().positive().optional(),
  status: z.enum(['active', 'disabled']).optional(),
});
export const userListQuery = pageQuery.extend(userFilter.shape);

/** Field rules shared by the forms and the Excel import. */
export const username = z.string().trim().min(2).max(40).regex(/^[A-Za-z0-9_.@-]+$/, { message: 'username.format' });
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional().transform((v) => (v === '' ? null : v));

export const emailSchema = z.email().max(120);
export const displayNameSchema = z.string().trim().min(1).max(40);

export const createUserBody = z.object({
  username,
  displayName: z.string().trim().min(1).max(40),
  password: passwordSchema,
  email: z.union([emailSchema, z.literal(''), z.null()]).optional().transform((v) => (v ? v : null)),
  phone: optionalText(30),
  departmentId: z.number().int().positive(),
  roleIds: z.array(z.number().int().positive()).max(20),
  territoryIds: z.array(z.string().regex(/^\d{6}$/)).max(500).default([]),
  locale: z.enum(LOCALES).optional(),
});

export const updateUserBody = z.object({
  displayName: z.string().trim().min(1).max(40).optional(),
  email: z.union([z.email().max(120), z.literal(''), z.null()]).optional().transform((v) => (v === undefined ? undefined : v ? v : null)),
  phone: optionalText(30),
  departmentId: z.number().int().positive().optional(),
  roleIds: z.array(z.number().int().positive()).max(20).optional(),
  territoryIds: z.array(z.string().regex(/^\d{6}$/)).max(500).optional(),
  version: z.number().int(),
});
