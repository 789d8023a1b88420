import { useMemo, useState } from 'react';
import { Select, Spin, type SelectProps } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../shared/api';
import { useDebounced } from '../../shared/useDebounced';
import { type LeadOption, leadOptions } from './activities.api';

type Single = Omit<SelectProps<number>, 'options' | 'showSearch' | 'filterOption' | 'onSearch'>;
type Multi = Omit<SelectProps<number[]>, 'options' | 'showSearch' | 'filterOption' | 'onSearch' | 'mode'>;

/** Search the leads in scope (GET /api/leads?q=) and pick one. */
export function LeadSelect({ value, knownLead, ...props }: Single & { knownLead?: { id: number; label: string } | null }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const q = useDebounced(search.trim(), 250);
  const results = useQuery({ queryKey: ['leads', 'pick', q], queryFn: ({ signal }) => leadOptions(q || undefined, signal), enabled: open, staleTime: 30_000 });
  // A prefilled lead (/activities?leadId=..&new=1): its name from the lead's page API.
  const current = useQuery({
    queryKey: ['leads', 'pick', 'id', value],
    queryFn: ({ signal }) => api.get<Partial<LeadOption>>(`/leads/${value}`, undefined, signal),
    enabled: typeof value === 'number' && knownLead?.id !== value,
    staleTime: 60_000,
    retry: false,
  });
  const options = useMemo(() => {
    const list = new Map<number, string>();
    if (knownLead) list.set(knownLead.id, knownLead.label);
    if (current.data?.id && current.data.organisation) list.set(current.data.id, `${current.data.organisation}（${current.data.code ?? ''}）`);
    for (const l of results.data ?? []) list.set(l.id, `${l.organisation}（${l.code}）`);
    if (typeof value === 'number' && !list.has(value)) list.set(value, `#${value}`);
    return [...list].map(([id, label]) => ({ value: id, label }));
  }, [knownLead, current.data, results.data, value]);
  return (
    <Select<number>
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      placeholder={t('activities.leadPlaceholder')}
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

interface ContactOption {
  id: number;
  name: string;
  title: string | null;
  department: string | null;
}

/** The active contacts of the chosen customer (GET /api/contacts?customerId=). */
export function ContactsSelect({ customerId, known = [], ...props }: Multi & { customerId: number | null | undefined; known?: { id: number; name: string }[] }) {
  const { t } = useTranslation();
  const contacts = useQuery({
    queryKey: ['contacts', 'pick', customerId],
    queryFn: ({ signal }) => api.get<Page<ContactOption>>('/contacts', { customerId: customerId!, status: 'active', pageSize: 200 }, signal).then((r) => r.items),
    enabled: typeof customerId === 'number',
    staleTime: 30_000,
  });
  const options = useMemo(() => {
    const list = new Map<number, string>();
    for (const k of known) list.set(k.id, k.name);
    for (const c of contacts.data ?? []) list.set(c.id, [c.name, c.department, c.title].filter(Boolean).join(' · '));
    return [...list].map(([id, label]) => ({ value: id, label }));
  }, [known, contacts.data]);
  return (
    <Select<number[]>
      mode="multiple"
      allowClear
      disabled={typeof customerId !== 'number'}
      placeholder={typeof customerId === 'number' ? t('activities.contactsPlaceholder') : t('activities.chooseCustomerFirst')}
      showSearch={{ optionFilterProp: 'label' }}
      loading={contacts.isFetching}
      options={options}
      {...props}
    />
  );
}

/** Products discussed: search the catalogue, pick several. */
interface DirectoryUser {
  id: number;
  username: string;
  displayName: string;
}

/** Colleagues (the company directory): attendees of a meeting, owners of action items. */
export function ColleaguesSelect({ known = [], ...props }: Multi & { known?: { id: number; name: string }[] }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const q = useDebounced(search.trim(), 250);
  const results = useQuery({
    queryKey: ['users', 'pick', 'directory', q],
    queryFn: ({ signal }) => api.get<{ items: DirectoryUser[] }>('/users/directory', { q: q || undefined }, signal).then((r) => r.items),
    enabled: open,
    staleTime: 60_000,
  });
  const [seen, setSeen] = useState(new Map<number, string>());
  const options = useMemo(() => {
    const list = new Map<number, string>(seen);
    for (const k of known) list.set(k.id, k.name);
    for (const u of results.data ?? []) list.set(u.id, `${u.displayName} (${u.username})`);
    return [...list].map(([id, label]) => ({ value: id, label }));
  }, [known, results.data, seen]);
  return (
    <Select<number[]>
      mode="multiple"
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      placeholder={t('user.searchPlaceholder')}
      notFoundContent={results.isFetching ? <Spin size="small" /> : undefined}
      options={options}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setSearch('');
      }}
      onSelect={(id) => {
        const label = options.find((o) => o.value === id)?.label;
        if (label) setSeen((m) => new Map(m).set(id, label));
      }}
      {...props}
    />
  );
}
