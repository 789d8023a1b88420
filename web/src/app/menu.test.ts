import { describe, expect, it } from 'vitest';
import { MENU, selectedMenu, visibleMenu } from './menu';

describe('menu', () => {
  it('shows only the pages the user has permission for', () => {
    const entries = visibleMenu(MENU, (p) => p === 'users.read');
    const admin = entries.find((e) => e.key === 'admin');
    expect(admin?.children?.map((e) => e.key)).toEqual(['/admin/users']);
  });

  it('hides the administration section when nothing in it is allowed', () => {
    expect(visibleMenu(MENU, () => false).map((e) => e.key)).toEqual(['/', 'approvals']);
  });

  it('highlights the page and opens its section', () => {
    expect(selectedMenu(MENU, '/admin/roles')).toEqual({ selected: '/admin/roles', open: 'admin' });
    expect(selectedMenu(MENU, '/')).toEqual({ selected: '/' });
    expect(selectedMenu(MENU, '/account-requests/7')).toEqual({ selected: '/account-requests', open: 'admin' });
    // A page whose path lies under another entry's path is itself highlighted, not its parent.
    expect(selectedMenu(MENU, '/activities/calendar')).toEqual({ selected: '/activities/calendar', open: 'crm' });
    expect(selectedMenu(MENU, '/activities/12')).toEqual({ selected: '/activities', open: 'crm' });
  });

  it('shows everyone their approval to-do list, and the flow settings to whoever may configure either half', () => {
    const entries = visibleMenu(MENU, (p) => p === 'documents.configure');
    expect(entries.find((e) => e.key === 'approvals')?.children?.map((e) => e.key)).toEqual(['/approvals/pending', '/approvals/done']);
    expect(entries.find((e) => e.key === 'admin')?.children?.map((e) => e.key)).toEqual(['/admin/approval-flows']);
  });
});
