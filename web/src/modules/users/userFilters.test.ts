import { describe, expect, it } from 'vitest';
import { readUserFilters, userFiltersToQuery, userListQuery } from './userFilters';

describe('user list filters in the URL', () => {
  it('reads every filter, the page and the sort from a bookmarked URL', () => {
    const params = new URLSearchParams('q=%E5%BC%A0&departmentId=12&includeSubDepartments=true&roleId=3&status=disabled&sort=-createdAt&page=3&pageSize=50');
    expect(userListQuery(params)).toEqual({
      q: '张',
      departmentId: 12,
      includeSubDepartments: true,
      roleId: 3,
      status: 'disabled',
      sort: '-createdAt',
      page: 3,
      pageSize: 50,
    });
  });

  it('ignores malformed values instead of sending them to the server', () => {
    const filters = readUserFilters(new URLSearchParams('departmentId=abc&status=gone&sort=-password&roleId=-1'));
    expect(filters).toEqual({ q: undefined, departmentId: undefined, includeSubDepartments: false, roleId: undefined, status: undefined, sort: undefined });
  });

  it('sends "include sub-departments" only together with a department', () => {
    expect(userFiltersToQuery(readUserFilters(new URLSearchParams('includeSubDepartments=true'))).includeSubDepartments).toBeUndefined();
    expect(userFiltersToQuery(readUserFilters(new URLSearchParams('departmentId=1'))).includeSubDepartments).toBe(false);
  });

  it('caps the page size at the server maximum', () => {
    expect(userListQuery(new URLSearchParams('pageSize=5000')).pageSize).toBe(200);
    expect(userListQuery(new URLSearchParams('')).pageSize).toBe(20);
    expect(userListQuery(new URLSearchParams('page=0')).page).toBe(1);
  });
});
