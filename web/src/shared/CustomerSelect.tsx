import { useMemo, useState } from 'react';
import { Select, Spin, type SelectProps } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { customerOptions, type CustomerOption, type CustomerType } from '../modules/customers/customers.api';
import { useDebounced } from './useDebounced';

type Props = Omit<SelectProps<number>, 'options' | 'showSearch' | 'filterOption' | 'onSearch'> & {
  /** Offer only customers of this type (e.g. distributors for a flow file). */
  type?: CustomerType;
  /** A label for the current value when the caller already knows it (spares a request). */
  knownCustomer?: { id: number; name: string } | null;
};

const label = (c: CustomerOption) => `${c.name}（${c.code}${c.territoryName ? ' · ' + c.territoryName : ''}）`;

/** Search customers in the user's scope by name, pinyin, initials (bjxh) or code, and pick one. */
export function CustomerSelect({ type, knownCustomer, value, ...props }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const q = useDebounced(search.trim(), 250);

  const results = useQuery({
    queryKey: ['customers', 'pick', q, type],
    queryFn: ({ signal }) => customerOptions({ q: q || undefined, type }, signal),
    enabled: open,
    staleTime: 30_000,
  });
  const needsLabel = typeof value === 'number' && knownCustomer?.id !== value;
  const current = useQuery({
    queryKey: ['customers', 'pick', 'id', value],
    queryFn: ({ signal }) => customerOptions({ ids: String(value) }, signal).then((r) => r[0] ?? null),
    enabled: needsLabel,
    staleTime: 60_000,
  });

  const options = useMemo(() => {
    const list = new Map<number, string>();
    if (knownCustomer) list.set(knownCustomer.id, knownCustomer.name);
    if (current.data) list.set(current.data.id, label(current.data));
    for (const c of results.data ?? []) list.set(c.id, label(c));
    return [...list].map(([id, text]) => ({ value: id, label: text }));
  }, [knownCustomer, current.data, results.data]);

  return (
    <Select<number>
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      placeholder={t('customer.searchPlaceholder')}
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
