import { useMemo, useState } from 'react';
import { Select, Spin, type SelectProps } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { productLabel, productOptions } from '../products/products.api';
import { useDebounced } from '../../shared/useDebounced';

type Props = Omit<SelectProps<number[]>, 'options' | 'showSearch' | 'filterOption' | 'onSearch' | 'mode'>;

/** 意向产品: several products, searched by name, pinyin, initials or code. */
export function LeadProductsSelect({ value, ...props }: Props) {
  const { t } = useTranslation();
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
      showSearch
      filterOption={false}
      onSearch={setSearch}
      onOpenChange={setOpen}
      notFoundContent={results.isFetching ? <Spin size="small" /> : t('leads.noProducts')}
      options={options}
      value={value}
      {...props}
    />
  );
}
