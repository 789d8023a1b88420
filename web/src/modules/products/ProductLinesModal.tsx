import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { showFieldErrors } from '../../shared/formErrors';
import { createProductLine, listProductLines, PRODUCTS_KEY, type ProductLine } from './products.api';

type Values = { name: string; sort: number; parentId?: number | null };

/** 产品线: the groups the catalogue is filtered by (one level of sub-lines), with their product counts. */
export function ProductLinesModal({ open, canWrite, onClose }: { open: boolean; canWrite: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const lines = useQuery({ queryKey: [...PRODUCTS_KEY, 'lines'], queryFn: ({ signal }) => listProductLines(signal), enabled: open });
  const nameOf = (id: number | null) => (lines.data ?? []).find((l) => l.id === id)?.name ?? '—';

  async function add(values: Values) {
    setSaving(true);
    setError(null);
    try {
      await createProductLine({ name: values.name.trim(), sort: values.sort ?? 0, parentId: values.parentId ?? null });
      message.success(t('product.lineSaved', { name: values.name.trim() }));
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: PRODUCTS_KEY });
    } catch (err) {
      if (!showFieldErrors(form, err)) setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('product.lines')} width={640} destroyOnHidden>
      <Table<ProductLine>
        rowKey="id"
        size="small"
        pagination={false}
        loading={lines.isFetching}
        dataSource={lines.data}
        columns={[
          { title: t('product.lineName'), dataIndex: 'name', key: 'name' },
          { title: t('product.lineParent'), key: 'parent', render: (_, l) => (l.parentId ? nameOf(l.parentId) : '—') },
          { title: t('product.lineSort'), dataIndex: 'sort', key: 'sort', width: 80 },
          { title: t('product.lineProducts'), dataIndex: 'productCount', key: 'productCount', width: 90 },
        ]}
      />
      {canWrite && (
        <Form form={form} layout="inline" onFinish={add} style={{ marginTop: 16 }} initialValues={{ sort: 0 }} data-testid="product-line-form">
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8, width: '100%' }} />}
          <Space wrap>
            <Form.Item name="name" rules={[{ required: true, message: t('validation.required') }, { max: 40 }]}>
              <Input placeholder={t('product.lineName')} data-testid="product-line-name" />
            </Form.Item>
            <Form.Item name="parentId">
              <Select<number>
                allowClear
                style={{ width: 150 }}
                placeholder={t('product.lineParent')}
                options={(lines.data ?? []).filter((l) => l.parentId === null).map((l) => ({ value: l.id, label: l.name }))}
              />
            </Form.Item>
            <Form.Item name="sort">
              <InputNumber min={0} max={9999} precision={0} placeholder={t('product.lineSort')} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="product-line-add">
              {t('product.addLine')}
            </Button>
          </Space>
        </Form>
      )}
    </Modal>
  );
}
