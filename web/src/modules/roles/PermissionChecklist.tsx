import { useMemo } from 'react';
import { Checkbox, Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { localName, type PermissionInfo } from './roles.api';

interface Props {
  permissions: PermissionInfo[];
  value?: string[];
  onChange?: (value: string[]) => void;
  disabled?: boolean;
}

/** Permissions grouped as the server groups them, each group with a "select all". */
export function PermissionChecklist({ permissions, value = [], onChange, disabled }: Props) {
  const { t, i18n } = useTranslation();
  const groups = useMemo(() => {
    const map = new Map<string, PermissionInfo[]>();
    for (const p of permissions) map.set(p.group, [...(map.get(p.group) ?? []), p]);
    return [...map];
  }, [permissions]);
  const chosen = new Set(value);

  const setGroup = (codes: string[], on: boolean) => {
    const next = new Set(chosen);
    for (const code of codes) {
      if (on) next.add(code);
      else next.delete(code);
    }
    // Keep the catalog's order so the saved list reads the same way every time.
    onChange?.(permissions.map((p) => p.code).filter((code) => next.has(code)));
  };

  return (
    <div data-testid="role-form-permissions">
      {groups.map(([group, items]) => {
        const codes = items.map((p) => p.code);
        const count = codes.filter((c) => chosen.has(c)).length;
        return (
          <div key={group} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 12px', marginBottom: 8 }}>
            <Checkbox
              checked={count === codes.length}
              indeterminate={count > 0 && count < codes.length}
              disabled={disabled}
              onChange={(e) => setGroup(codes, e.target.checked)}
            >
              <Typography.Text strong>{t(`permissionGroup.${group}`, { defaultValue: group })}</Typography.Text>
            </Checkbox>
            <Row gutter={[8, 4]} style={{ marginTop: 6, paddingLeft: 24 }}>
              {items.map((p) => (
                <Col key={p.code} xs={24} sm={12}>
                  <Checkbox checked={chosen.has(p.code)} disabled={disabled} onChange={(e) => setGroup([p.code], e.target.checked)} data-testid={`permission-${p.code}`}>
                    {localName(p, i18n.language)}
                    <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>
                      {p.code}
                    </Typography.Text>
                  </Checkbox>
                </Col>
              ))}
            </Row>
          </div>
        );
      })}
    </div>
  );
}
