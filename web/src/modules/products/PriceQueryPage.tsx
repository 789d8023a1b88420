import { useQuery } from '@tanstack/react-query';
import { Alert, Card, DatePicker, Descriptions, Empty, Form, Result, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { readInt, useUrlState } from '../../shared/urlState';
import { PRICE_RULES, resolvePrice, type PriceCandidate } from './products.api';
import { ProductSelect } from './ProductSelect';

/**
 * 价格查询: which price a customer pays for a product on a day, and which rule it came from
 * (GET /api/prices/resolve; the precedence lives in server/src/modules/products/price-resolution.ts).
 * The choice is in the URL so a result can be shared.
 */
export default function PriceQueryPage() {
  const { t } = useTranslation();
  const { params, update } = useUrlState();
  const customerId = readInt(params, 'customerId');
  const productId = readInt(params, 'productId');
  const onParam = params.get('on');
  const on = onParam && /^\d{4}-\d{2}-\d{2}$/.test(onParam) ? onParam : dayjs().format('YYYY-MM-DD');
  const ready = customerId !== undefined && productId !== undefined;

  const result = useQuery({
    queryKey: ['prices', 'resolve', customerId, productId, on],
    queryFn: ({ signal }) => resolvePrice({ customerId: customerId!, productId: productId!, on }, signal),
    enabled: ready,
  });

  const ruleText = (c: PriceCandidate) => `${PRICE_RULES.indexOf(c.rule) + 1}. ${t(`price.rules.${c.rule}`)}`;
  const scopeText = (c: PriceCandidate) =>
    [c.customerType ? t(`customer.types.${c.customerType}`) : null, c.territory?.name ?? null, c.tenderName].filter(Boolean).join(' · ') || '—';

  return (
    <>
      <PageTitle title={t('menu.priceQuery')} />
      <Card style={{ marginBottom: 16 }}>
        <Form layout="inline">
          <Form.Item label={t('price.customer')}>
            <CustomerSelect style={{ width: 300 }} value={customerId} onChange={(v) => update({ customerId: v }, { resetPage: false })} data-testid="price-query-customer" />
          </Form.Item>
          <Form.Item label={t('price.product')}>
            <ProductSelect style={{ width: 320 }} value={productId} onChange={(v) => update({ productId: v }, { resetPage: false })} data-testid="price-query-product" />
          </Form.Item>
          <Form.Item label={t('price.onDate')}>
            <DatePicker value={dayjs(on)} allowClear={false} onChange={(d) => update({ on: d ? d.format('YYYY-MM-DD') : undefined }, { resetPage: false })} data-testid="price-query-on" />
          </Form.Item>
        </Form>
      </Card>
      {!ready ? (
        <Card>
          <Empty description={t('price.queryHint')} />
        </Card>
      ) : result.isError ? (
        <Alert type="error" showIcon title={result.error.message} />
      ) : result.data ? (
        <Card loading={result.isFetching}>
          {result.data.found && result.data.source ? (
            <Space orientation="vertical" style={{ width: '100%' }} size="large">
              <Descriptions column={{ xs: 1, md: 3 }} bordered size="small" data-testid="price-query-result">
                <Descriptions.Item label={t('price.resolvedPrice')}>
                  <Typography.Title level={3} style={{ margin: 0 }} data-testid="price-query-amount">
                    {formatFen(result.data.amountFen!)}
                  </Typography.Title>
                </Descriptions.Item>
                <Descriptions.Item label={t('price.rule')}>
                  <Tag color="blue" data-testid="price-query-rule">
                    {ruleText(result.data.source)}
                  </Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t('price.kind')}>{t(`price.kinds.${result.data.source.kind}`)}</Descriptions.Item>
                <Descriptions.Item label={t('price.target')}>{scopeText(result.data.source)}</Descriptions.Item>
                <Descriptions.Item label={t('price.validity')}>
                  {result.data.source.validFrom} ~ {result.data.source.validTo ?? t('price.openEnded')}
                </Descriptions.Item>
                <Descriptions.Item label={t('price.customer')}>
                  {result.data.customer.name}（{t(`customer.types.${result.data.customer.type}`)}）
                </Descriptions.Item>
              </Descriptions>
              <div>
                <Typography.Text strong>{t('price.candidates')}</Typography.Text>
                <Table<PriceCandidate>
                  rowKey="priceId"
                  size="small"
                  pagination={false}
                  dataSource={result.data.candidates}
                  rowClassName={(_, i) => (i === 0 ? 'ant-table-row-selected' : '')}
                  columns={[
                    { title: t('price.rule'), key: 'rule', render: (_, c) => ruleText(c) },
                    { title: t('price.kind'), key: 'kind', render: (_, c) => t(`price.kinds.${c.kind}`) },
                    { title: t('price.amount'), key: 'amount', align: 'right', render: (_, c) => formatFen(c.amountFen) },
                    { title: t('price.target'), key: 'target', render: (_, c) => scopeText(c) },
                    { title: t('price.validity'), key: 'validity', render: (_, c) => `${c.validFrom} ~ ${c.validTo ?? t('price.openEnded')}` },
                  ]}
                />
              </div>
            </Space>
          ) : (
            <Result status="warning" title={t('price.noPrice')} subTitle={t('price.noPriceHint')} data-testid="price-query-none" />
          )}
        </Card>
      ) : null}
      <Card size="small" style={{ marginTop: 16 }} title={t('price.precedenceTitle')}>
        <ol style={{ margin: 0, paddingInlineStart: 20 }}>
          {PRICE_RULES.map((r) => (
            <li key={r}>{t(`price.rulesExplained.${r}`)}</li>
          ))}
        </ol>
      </Card>
    </>
  );
}
