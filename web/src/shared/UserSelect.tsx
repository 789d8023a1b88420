import { useMemo, useState } from 'react';
import { Select, Spin, type SelectProps } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Page } from './api';
import { useDebounced } from './useDebounced';

interface UserOption {
  id: number;
  username: string;
  displayName: string;
}

type Props = Omit<SelectProps<number>, 'options' | 'showSearch' | 'filterOption' | 'onSearch'> & {
  /** A label for the current value when the caller already knows it (spares a request). */
  knownUser?: { id: number; displayName: string } | null;
  /** Offer only active users (e.g. a new department head); the audit filter wants everyone. */
  activeOnly?: boolean;
  /**
   * 'users' searches the user list (needs users.read, scoped); 'directory' searches the company
   * directory of active colleagues open to every employee (e.g. choosing a delegate).
   */
  source?: 'users' | 'directory';
};

/** Search users by name or username (GET /api/users?q=) and pick one. */
export function UserSelect({ knownUser, value, activeOnly = true, source = 'users', ...props }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const q = useDebounced(search.trim(), 250);

  const results = useQuery({
    queryKey: ['users', 'pick', source, q, activeOnly],
    queryFn: ({ signal }) =>
      source === 'directory'
        ? api.get<{ items: UserOption[] }>('/users/directory', { q: q || undefined }, signal).then((r) => r.items)
        : api.get<Page<UserOption>>('/users', { q: q || undefined, pageSize: 20, status: activeOnly ? 'active' : undefined }, signal).then((r) => r.items),
    enabled: open,
    staleTime: 60_000,
  });

  // The current value may not be among the results (e.g. opened from a bookmarked URL): fetch its name.
  const needsLabel = value !== undefined && value !== null && knownUser?.id !== value;
  const current = useQuery({
    queryKey: ['users', source, value],
    queryFn: ({ signal }) =>
      source === 'directory'
        ? api.get<{ items: UserOption[] }>('/users/directory', { ids: String(value) }, signal).then((r) => r.items[0])
        : api.get<UserOption>(`/users/${value}`, undefined, signal),
    enabled: needsLabel,
    staleTime: 60_000,
  });

  const options = useMemo(() => {
    const list = new Map<number, string>();
    if (knownUser) list.set(knownUser.id, knownUser.displayName);
    if (current.data) list.set(current.data.id, `${current.data.displayName} (${current.data.username})`);
    for (const user of results.data ?? []) list.set(user.id, `${user.displayName} (${user.username})`);
    return [...list].map(([id, label]) => ({ value: id, label }));
  }, [knownUser, current.data, results.data]);

  return (
    <Select<number>
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      placeholder={t('user.searchPlaceholder')}
      notFoundContent={results.isFetching ? <Spin size="small" /> : undefined}
      options={options}
      value={value}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setSearch('');
      }}
      {...props}
    />
  );
}
