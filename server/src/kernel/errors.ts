/** A user-facing failure with a stable code; the HTTP layer turns it into `{ error: { code, message, fields? } }`. */
export class DomainError extends Error {
  constructor(
    public readonly code: string,
    public readonly params: Record<string, unknown> = {},
    public readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 = 400,
    public readonly fields?: { path: string; code: string; params?: Record<string, unknown> }[],
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

export const notFound = () => new DomainError('NOT_FOUND', {}, 404);
export const forbidden = () => new DomainError('FORBIDDEN', {}, 403);
export const versionConflict = () => new DomainError('CONFLICT_VERSION', {}, 409);
