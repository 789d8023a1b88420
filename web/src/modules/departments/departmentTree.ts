import type { Department } from './departments.api';

export interface DepartmentNode {
  key: number;
  value: number;
  title: string;
  department: Department;
  children?: DepartmentNode[];
  disabled?: boolean;
}

/** The department's name in the reader's language (English name when there is one). */
export function departmentName(department: Pick<Department, 'name' | 'nameEn'>, locale: string): string {
  return locale === 'en-US' && department.nameEn ? department.nameEn : department.name;
}

/**
 * Builds the tree from the server's flat, ordered list. A department whose parent is missing
 * (e.g. outside what the reader may see) becomes a root rather than disappearing.
 */
export function buildDepartmentTree(departments: Department[], locale: string): DepartmentNode[] {
  const nodes = new Map<number, DepartmentNode>();
  for (const department of departments) {
    nodes.set(department.id, { key: department.id, value: department.id, title: departmentName(department, locale), department });
  }
  const roots: DepartmentNode[] = [];
  for (const department of departments) {
    const node = nodes.get(department.id)!;
    const parent = department.parentId === null ? undefined : nodes.get(department.parentId);
    if (parent && parent !== node) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  const bySort = (a: DepartmentNode, b: DepartmentNode) => a.department.sort - b.department.sort || a.department.id - b.department.id;
  const order = (list: DepartmentNode[]) => {
    list.sort(bySort);
    for (const node of list) if (node.children) order(node.children);
  };
  order(roots);
  return roots;
}

/** The id and every id below it: a department cannot move under itself. */
export function subtreeIds(departments: Department[], rootId: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const d of departments) {
    if (d.parentId !== null) children.set(d.parentId, [...(children.get(d.parentId) ?? []), d.id]);
  }
  const result = new Set<number>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    if (result.has(id)) continue;
    result.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return result;
}

/** Marks nodes as not selectable (used for the parent picker). */
export function disableNodes(nodes: DepartmentNode[], disabled: Set<number>): DepartmentNode[] {
  return nodes.map((node) => ({
    ...node,
    disabled: disabled.has(node.key),
    children: node.children ? disableNodes(node.children, disabled) : undefined,
  }));
}

/** Nodes whose name (or a descendant's) contains the text, with the path to them kept. */
export function filterTree(nodes: DepartmentNode[], text: string): DepartmentNode[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return nodes;
  return nodes.flatMap((node) => {
    const children = node.children ? filterTree(node.children, needle) : [];
    const hit = node.title.toLowerCase().includes(needle) || node.department.name.toLowerCase().includes(needle);
    if (hit) return [{ ...node }];
    return children.length ? [{ ...node, children }] : [];
  });
}
