import { Col, Empty, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { changedKeys, jsonLines, type JsonObject } from './auditDiff';

function Side({ title, value, changed, side }: { title: string; value: JsonObject | null; changed: Set<string>; side: 'before' | 'after' }) {
  const { t } = useTranslation();
  const lines = jsonLines(value, changed);
  return (
    <Col xs={24} md={12}>
      <Typography.Text strong>{title}</Typography.Text>
      {value === null ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('audit.none')} />
      ) : (
        <div className="rx-json" data-testid={`audit-${side}`}>
          <div className="rx-json-line">{'{'}</div>
          {lines.map((line) => (
            <div key={line.key} className={`rx-json-line${line.changed ? ` changed-${side}` : ''}`} style={{ paddingLeft: 24 }}>
              {line.text}
            </div>
          ))}
          <div className="rx-json-line">{'}'}</div>
        </div>
      )}
    </Col>
  );
}

/** Before and after side by side; the keys that changed are highlighted on both sides. */
export function AuditDiff({ before, after }: { before: JsonObject | null; after: JsonObject | null }) {
  const { t } = useTranslation();
  const changed = changedKeys(before, after);
  return (
    <div>
      {changed.size > 0 && before !== null && after !== null && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('audit.changedKeys', { keys: [...changed].join(', ') })}
        </Typography.Paragraph>
      )}
      <Row gutter={16}>
        <Side title={t('audit.before')} value={before} changed={changed} side="before" />
        <Side title={t('audit.after')} value={after} changed={changed} side="after" />
      </Row>
    </div>
  );
}
