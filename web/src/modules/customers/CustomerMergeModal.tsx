import { useEffect, useState } from 'react';
import { Alert, App, Descriptions, Form, Modal, Spin, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { CUSTOMERS_KEY, type CustomerDetail } from './customers.api';
import { OWNERSHIP_KEY, mergeCustomers, mergePreview } from './ownership.api';

/**
 * 合并重复客户: pick the duplicate, see what moves (contacts, history, later orders… per table),
 * confirm. The duplicate becomes 已合并 and its names aliases of this customer.
 */
export function CustomerMergeModal({ customer, open, onClose }: { customer: CustomerDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [duplicateId, setDuplicateId] = useState<number | undefined>();
  useEffect(() => {
    if (open) setDuplicateId(undefined);
  }, [open]);

  const preview = useQuery({
    queryKey: [...OWNERSHIP_KEY, 'merge-preview', customer.id, duplicateId],
    queryFn: ({ signal }) => mergePreview(customer.id, duplicateId!, signal),
    enabled: open && duplicateId !== undefined && duplicateId !== customer.id,
  });

  const merge = useMutation({
    mutationFn: () => mergeCustomers(customer.id, duplicateId!),
    onSuccess: async (res) => {
      message.success(t('ownership.merged', { name: res.customer.name }));
      await queryClient.invalidateQueries({ queryKey: CUSTOMERS_KEY });
      onClose();
    },
    onError: (error) => message.error(error.message),
  });

  const d = preview.data?.duplicate;
  return (
    <Modal
      open={open}
      title={t('ownership.mergeTitle', { name: customer.name })}
      onCancel={onClose}
      onOk={() => merge.mutate()}
      okText={t('ownership.mergeConfirm')}
      okButtonProps={{ danger: true, disabled: !preview.data, loading: merge.isPending }}
      width={640}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('ownership.mergeHint')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('ownership.duplicate')}>
          <CustomerSelect value={duplicateId} onChange={(v) => setDuplicateId(v ?? undefined)} allowClear data-testid="merge-duplicate" />
        </Form.Item>
      </Form>
      {duplicateId === customer.id && <Alert type="error" message={t('ownership.mergeSelf')} />}
      {preview.isFetching && <Spin />}
      {preview.isError && <Alert type="error" message={preview.error.message} />}
      {d && preview.data && (
        <>
          <Descriptions bordered size="small" column={1} data-testid="merge-summary">
            <Descriptions.Item label={t('ownership.duplicate')}>
              {d.name}（{d.code}）{d.ownerName ? ` · ${d.ownerName}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('ownership.keeps')}>
              {customer.name}（{customer.code}）
            </Descriptions.Item>
            <Descriptions.Item label={t('ownership.newAliases')}>{[d.name, d.shortName, ...d.aliases].filter(Boolean).join('；')}</Descriptions.Item>
            <Descriptions.Item label={t('ownership.moves')}>
              {Object.keys(preview.data.counts).length === 0
                ? t('ownership.movesNothing')
                : Object.entries(preview.data.counts).map(([table, n]) => (
                    <div key={table}>
                      {t(`ownership.tables.${table}`, { defaultValue: table })}：{n}
                    </div>
                  ))}
            </Descriptions.Item>
          </Descriptions>
          <Alert style={{ marginTop: 12 }} type="warning" showIcon message={t('ownership.mergeIrreversible')} />
        </>
      )}
    </Modal>
  );
}
