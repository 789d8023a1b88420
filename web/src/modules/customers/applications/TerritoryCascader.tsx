import { useMemo } from 'react';
import { Cascader } from 'antd';
import { useTranslation } from 'react-i18next';
import { cityOf, type Territory } from '../../territories/territories.api';
import { useTerritoryCounties } from '../../territories/useTerritoryCounties';

interface Option {
  value: string;
  label: string;
  isLeaf?: boolean;
  children?: Option[];
}

/** The path of codes from province down to a territory: 440106 → [440000, 440100, 440106]. */
export function territoryPath(id: string | undefined, known: Set<string>): string[] {
  if (!id) return [];
  const province = `${id.slice(0, 2)}0000`;
  const city = cityOf(id);
  const path = [province];
  if (city !== province && known.has(city)) path.push(city);
  if (!path.includes(id)) path.push(id);
  return path;
}

/** One territory (province → city → county) over /api/territories; counties load when a city opens. */
export function TerritoryCascader({ value, onChange, id, disabled }: { value?: string; onChange?: (value: string | undefined) => void; id?: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const { territories, counties, known, loadCounties } = useTerritoryCounties(value ? [value] : []);

  const options = useMemo(() => {
    const rows = territories.data ?? [];
    const byParent = new Map<string | null, Territory[]>();
    for (const r of rows) byParent.set(r.parentId, [...(byParent.get(r.parentId) ?? []), r]);
    const build = (parentId: string | null): Option[] =>
      (byParent.get(parentId) ?? []).map((r) => {
        if (r.level === 'city') {
          const list = counties[r.id];
          return { value: r.id, label: r.name, isLeaf: list ? list.length === 0 : false, children: list?.map((c) => ({ value: c.id, label: c.name, isLeaf: true })) };
        }
        const children = build(r.id);
        return { value: r.id, label: r.name, isLeaf: children.length === 0, children: children.length ? children : undefined };
      });
    return build(null);
  }, [territories.data, counties]);

  return (
    <Cascader<Option>
      id={id}
      disabled={disabled}
      options={options}
      changeOnSelect
      showSearch={false}
      loading={territories.isLoading}
      placeholder={t('customerApplication.territoryPlaceholder')}
      value={territories.isSuccess ? territoryPath(value, known) : undefined}
      loadData={(selected) => {
        const last = selected[selected.length - 1];
        const code = String(last?.value ?? '');
        if (code.endsWith('00') && !code.endsWith('0000') && !counties[code]) void loadCounties(code);
      }}
      onChange={(path) => onChange?.(path && path.length ? String(path[path.length - 1]) : undefined)}
      style={{ width: '100%' }}
      data-testid="application-territory"
    />
  );
}
