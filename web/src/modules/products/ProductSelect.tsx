import { useMemo, useState } from 'react';
import { Select, Spin, type SelectProps } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { productLabel, productOptions } from './products.api';
import { useDebounced } from '../../shared/useDebounced';

type Props = Omit<SelectProps<number>, 'options' | 'showSearch' | 'filterOption' | 'onSearch'>;

/** Search the catalogue by name, pinyin, initials or code and pick a product. */
export function ProductSelect({ value, ...props }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const q = useDebounced(search.trim(), 250);
  const results = useQuery({ queryKey: ['products', 'pick', q], queryFn: ({ signal }) => productOptions({ q: q || undefined }, signal), enabled: open, staleTime: 30_000 });
  const current = useQuery({
    queryKey: ['products', 'pick', 'id', value],
    queryFn: ({ signal }) => productOptions({ ids: String(value) }, signal).then((r) => r[0] ?? null),
    enabled: typeof value === 'number',
    staleTime: 60_000,
  });
  const options = useMemo(() => {
    const list = new Map<number, string>();
    if (current.data) list.set(current.data.id, productLabel(current.data));
    for (const p of results.data ?? []) list.set(p.id, `${productLabel(p)} ${p.manufacturer}`);
    return [...list].map(([id, label]) => ({ value: id, label }));
  }, [current.data, results.data]);
  return (
    <Select<number>
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      placeholder={t('product.searchPlaceholder')}
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
