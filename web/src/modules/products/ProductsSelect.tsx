import { type ReactNode, useMemo, useState } from 'react';
import { Select, Spin, type SelectProps } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { productLabel, productOptions } from './products.api';
import { useDebounced } from '../../shared/useDebounced';

type Props = Omit<SelectProps<number[]>, 'options' | 'showSearch' | 'filterOption' | 'onSearch' | 'mode' | 'notFoundContent'> & {
  /** Shown when the search finds nothing (antd's empty picture when not given). */
  notFoundText?: ReactNode;
};

/**
 * Several products, searched by name, pinyin, initials or code (a lead's 意向产品, the products
 * discussed at a visit). The chosen products' names are loaded by id, so they stay labelled
 * whatever is typed next. One product: ProductSelect.
 */
export function ProductsSelect({ value, notFoundText, ...props }: Props) {
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const q = useDebounced(search.trim(), 250);
  const results = useQuery({ queryKey: ['products', 'pick', q], queryFn: ({ signal }) => productOptions({ q: q || undefined }, signal), enabled: open, staleTime: 30_000 });
  const ids = (value ?? []).join(',');
  const current = useQuery({ queryKey: ['products', 'pick', 'ids', ids], queryFn: ({ signal }) => productOptions({ ids }, signal), enabled: ids !== '', staleTime: 60_000 });
  const options = useMemo(() => {
    const list = new Map<number, string>();
    for (const p of current.data ?? []) list.set(p.id, productLabel(p));
    for (const p of results.data ?? []) list.set(p.id, productLabel(p));
    return [...list].map(([id, label]) => ({ value: id, label }));
  }, [current.data, results.data]);
  return (
    <Select<number[]>
      mode="multiple"
      showSearch={{ filterOption: false, onSearch: setSearch }}
      notFoundContent={results.isFetching ? <Spin size="small" /> : notFoundText}
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
