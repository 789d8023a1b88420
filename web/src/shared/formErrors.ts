import type { FormInstance } from 'antd';
import { ApiError } from './api';

/**
 * Puts the server's field errors (`error.fields[].path`, e.g. "username" or "roleIds.0")
 * on the matching form items. Returns true when at least one landed on a field the form has,
 * so the caller knows whether a general message is still needed.
 */
export function showFieldErrors(form: FormInstance, error: unknown, aliases: Record<string, string> = {}): boolean {
  if (!(error instanceof ApiError) || error.fields.length === 0) return false;
  const known = new Set(Object.keys(form.getFieldsValue() as Record<string, unknown>));
  const byField = new Map<string, string[]>();
  for (const field of error.fields) {
    const top = field.path.split(/[.[\]]/)[0];
    const name = aliases[top] ?? top;
    if (!known.has(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), field.message]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return byField.size > 0;
}

/** The password rule the server applies: at least 8 characters, with letters and digits. */
export function isStrongPassword(value: string): boolean {
  return value.length >= 8 && /[A-Za-z]/.test(value) && /\d/.test(value);
}
