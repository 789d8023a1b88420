/** Permission codes the web app checks to decide what to show (the server decides what is allowed). */
export const PERMISSIONS = {
  departmentsRead: 'departments.read',
  departmentsWrite: 'departments.write',
  usersRead: 'users.read',
  usersWrite: 'users.write',
  rolesRead: 'roles.read',
  rolesWrite: 'roles.write',
  auditRead: 'audit.read',
  auditVerify: 'audit.verify',
  accountRequestsRead: 'account_requests.read',
  accountRequestsCreate: 'account_requests.create',
  approvalsConfigure: 'approvals.configure',
  documentsConfigure: 'documents.configure',
  jobsRead: 'jobs.read',
  jobsRun: 'jobs.run',
  settingsRead: 'settings.read',
  settingsWrite: 'settings.write',
} as const;

export const DATA_SCOPES = ['own', 'team', 'department', 'territory', 'all', 'agent'] as const;
