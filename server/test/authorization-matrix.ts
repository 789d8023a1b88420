/**
 * Who may call what: every /api route × every builtin role. The authorization test fails when a
 * route is missing here or an entry names a route that no longer exists, so a new route cannot
 * ship without a decision on who may use it.
 */
export const ROLE_LOGINS = {
  admin: 'admin',
  sales_office: 'office',
  sales_office_lead: 'office_lead',
  rep: 'rep',
  team_lead: 'team_lead',
  regional_manager: 'east_manager',
  sales_director: 'director',
  finance: 'finance',
  logistics: 'logistics',
  quality: 'quality',
  management: 'management',
  agent: 'agent',
} as const;
export type RoleCode = keyof typeof ROLE_LOGINS;
export const ALL_ROLES = Object.keys(ROLE_LOGINS) as RoleCode[];

const allBut = (...except: RoleCode[]) => ALL_ROLES.filter((r) => !except.includes(r));
const orgReaders = allBut('agent');
const userReaders: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead', 'rep', 'team_lead', 'regional_manager', 'sales_director', 'management'];

export const MATRIX: Record<string, 'public' | 'authenticated' | RoleCode[]> = {
  'GET /api/health': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'authenticated',
  'GET /api/auth/me': 'authenticated',
  'PATCH /api/auth/me/preferences': 'authenticated',
  'POST /api/auth/me/password': 'authenticated',
  'GET /api/territories': 'authenticated',

  'GET /api/departments': orgReaders,
  'POST /api/departments': ['admin'],
  'PATCH /api/departments/:id': ['admin'],
  'DELETE /api/departments/:id': ['admin'],

  'GET /api/users': userReaders,
  'GET /api/users/export.xlsx': userReaders,
  'GET /api/users/:id': userReaders,
  'POST /api/users': ['admin'],
  'PATCH /api/users/:id': ['admin'],
  'POST /api/users/:id/disable': ['admin'],
  'POST /api/users/:id/enable': ['admin'],
  'POST /api/users/:id/reset-password': ['admin'],

  'GET /api/permissions': ['admin', 'management'],
  'GET /api/roles': ['admin', 'management'],
  'POST /api/roles': ['admin'],
  'PATCH /api/roles/:id': ['admin'],
  'DELETE /api/roles/:id': ['admin'],

  'GET /api/audit': ['admin', 'management'],
  'GET /api/audit/verify': ['admin'],

  'GET /api/notifications': 'authenticated',
  'GET /api/notifications/unread-count': 'authenticated',
  'POST /api/notifications/:id/read': 'authenticated',
  'POST /api/notifications/read-all': 'authenticated',
  'GET /api/notifications/preferences': 'authenticated',
  'PUT /api/notifications/preferences': 'authenticated',
  'GET /api/notification-settings': ['admin', 'management'],
  'PUT /api/notification-settings': ['admin'],

  'GET /api/jobs': ['admin', 'management'],
  'GET /api/jobs/runs': ['admin', 'management'],
  'POST /api/jobs/:name/run': ['admin'],
};
