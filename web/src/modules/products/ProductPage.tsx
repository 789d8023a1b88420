import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Popconfirm, Select, Skeleton, Space, Table, Tag, type TableColumnsType } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { isApiError } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { showFieldErrors } from '../../shared/formErrors';
import { PageTitle } from '../../shared/PageTitle';
import { AttachmentsPanel } from '../documents/AttachmentsPanel';
import { ExpiryTag } from './ExpiryTag';
import { ProductFormDrawer } from './ProductFormDrawer';
import {
  addProductDocument,
  deleteProductDocument,
  DOCUMENT_KINDS,
  getProduct,
  listProductDocuments,
  PRODUCTS_KEY,
  updateProductDocument,
  type DocumentKind,
  type ProductDocument,
} from './products.api';

type DocValues = { kind: DocumentKind; number?: string; issuedOn?: Dayjs | null; expiresOn?: Dayjs | null; notes?: string };

/** One product: its data, and its qualification documents (产品资质) with files and expiry. */
export default function ProductPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const id = Number(useParams().id);
  const canWrite = can(PERMISSIONS.productsWrite);
  const [editing, setEditing] = useState(false);
  const [docEditing, setDocEditing] = useState<ProductDocument | 'new' | null>(null);
  const [docForm] = Form.useForm<DocValues>();
  const [docError, setDocError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const product = useQuery({ queryKey: [...PRODUCTS_KEY, id], queryFn: ({ signal }) => getProduct(id, signal) });
  const docsKey = [...PRODUCTS_KEY, id, 'documents'];
  const documents = useQuery({ queryKey: docsKey, queryFn: ({ signal }) => listProductDocuments(id, signal) });

  function openDoc(doc: ProductDocument | 'new') {
    setDocError(null);
    setDocEditing(doc);
    docForm.resetFields();
    if (doc !== 'new') {
      docForm.setFieldsValue({
        kind: doc.kind,
        number: doc.number ?? undefined,
        issuedOn: doc.issuedOn ? dayjs(doc.issuedOn) : null,
        expiresOn: doc.expiresOn ? dayjs(doc.expiresOn) : null,
        notes: doc.notes ?? undefined,
      });
    }
  }

  async function saveDoc(values: DocValues) {
    setSaving(true);
    setDocError(null);
    const input = {
      kind: values.kind,
      number: values.number?.trim() || null,
      issuedOn: values.issuedOn ? values.issuedOn.format('YYYY-MM-DD') : null,
      expiresOn: values.expiresOn ? values.expiresOn.format('YYYY-MM-DD') : null,
      notes: values.notes?.trim() || null,
    };
    try {
      if (docEditing === 'new') await addProductDocument(id, input);
      else if (docEditing) await updateProductDocument(docEditing.id, { ...input, version: docEditing.version });
      message.success(t('product.documentSaved'));
      setDocEditing(null);
      await queryClient.invalidateQueries({ queryKey: PRODUCTS_KEY });
    } catch (err) {
      if (isApiError(err, 'CONFLICT_VERSION')) message.warning(t('errors.conflictVersion'));
      else if (!showFieldErrors(docForm, err)) setDocError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  async function removeDoc(doc: ProductDocument) {
    try {
      await deleteProductDocument(doc.id);
      await queryClient.invalidateQueries({ queryKey: PRODUCTS_KEY });
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  }

  if (product.isError) return <Alert type="error" showIcon title={product.error.message} />;
  if (!product.data) return <Skeleton active />;
  const p = product.data;

  const columns: TableColumnsType<ProductDocument> = [
    { title: t('product.documentKind'), dataIndex: 'kind', key: 'kind', width: 130, render: (k: string) => t(`product.documentKinds.${k}`) },
    { title: t('product.documentNumber'), dataIndex: 'number', key: 'number', width: 200, render: (v: string | null) => v ?? '—' },
    { title: t('product.issuedOn'), dataIndex: 'issuedOn', key: 'issuedOn', width: 110, render: (v: string | null) => v ?? '—' },
    { title: t('product.expiresOn'), dataIndex: 'expiresOn', key: 'expiresOn', width: 110, render: (v: string | null) => v ?? t('product.longTerm') },
    { title: t('product.expiryState'), dataIndex: 'expiryState', key: 'expiryState', width: 100, render: (_, d) => <ExpiryTag state={d.expiryState} /> },
    { title: t('product.attachmentCount'), dataIndex: 'attachmentCount', key: 'attachmentCount', width: 80 },
    { title: t('product.notes'), dataIndex: 'notes', key: 'notes', render: (v: string | null) => v ?? '' },
  ];
  if (canWrite) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      render: (_, d) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => openDoc(d)} data-testid={`document-edit-${d.id}`}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('product.confirmDeleteDocument')} onConfirm={() => removeDoc(d)} okText={t('common.confirm')} cancelText={t('common.cancel')}>
            <Button type="link" size="small" danger data-testid={`document-delete-${d.id}`}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }

  return (
    <>
      <PageTitle
        title={`${p.genericName} ${p.specification}`}
        extra={
          <Space>
            <Link to="/products">
              <Button icon={<ArrowLeftOutlined />}>{t('product.backToList')}</Button>
            </Link>
            {can(PERMISSIONS.pricesRead) && (
              <Link to={`/prices?productId=${p.id}`}>
                <Button data-testid="product-prices">{t('product.viewPrices')}</Button>
              </Link>
            )}
            {canWrite && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="product-edit">
                {t('common.edit')}
              </Button>
            )}
          </Space>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small">
          <Descriptions.Item label={t('product.code')}>{p.code}</Descriptions.Item>
          <Descriptions.Item label={t('product.tradeName')}>{p.tradeName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('product.status')}>
            <Tag color={p.status === 'active' ? 'success' : 'default'}>{t(`product.statuses.${p.status}`)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('product.dosageForm')}>{t(`product.dosageForms.${p.dosageForm}`)}</Descriptions.Item>
          <Descriptions.Item label={t('product.package')}>
            {t('product.packageText', { units: p.unitsPerPackage, unit: t(`product.packageUnits.${p.packageUnit}`) })}
          </Descriptions.Item>
          <Descriptions.Item label={t('product.approvalNumber')}>{p.approvalNumber}</Descriptions.Item>
          <Descriptions.Item label={t('product.manufacturer')}>{p.manufacturer}</Descriptions.Item>
          <Descriptions.Item label={t('product.prescriptionClass')}>{t(`product.prescriptionClasses.${p.prescriptionClass}`)}</Descriptions.Item>
          <Descriptions.Item label={t('product.reimbursementClass')}>{t(`product.reimbursementClasses.${p.reimbursementClass}`)}</Descriptions.Item>
          <Descriptions.Item label={t('product.storageCondition')}>{t(`product.storageConditions.${p.storageCondition}`)}</Descriptions.Item>
          <Descriptions.Item label={t('product.barcode')}>{p.barcode ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('stock.productVatRate')}>{p.vatRateBp / 100}</Descriptions.Item>
          <Descriptions.Item label={t('stock.productSafetyStock')}>{p.safetyStock}</Descriptions.Item>
          <Descriptions.Item label={t('product.productLine')}>{p.productLine?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('product.documents')}>
            <ExpiryTag state={p.documentsState} />
          </Descriptions.Item>
          <Descriptions.Item label={t('product.updatedAt')}>{formatDateTime(p.updatedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('product.notes')}>{p.notes ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        title={t('product.documentsTitle')}
        extra={
          canWrite && (
            <Button icon={<PlusOutlined />} onClick={() => openDoc('new')} data-testid="document-add">
              {t('product.addDocument')}
            </Button>
          )
        }
      >
        <Table<ProductDocument>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={documents.data}
          loading={documents.isFetching}
          pagination={false}
          expandable={{
            expandedRowRender: (d) => <AttachmentsPanel docType="product_document" docId={d.id} readOnly={!canWrite} />,
            rowExpandable: () => true,
          }}
          locale={documents.isError ? { emptyText: documents.error.message } : { emptyText: t('product.noDocuments') }}
        />
      </Card>
      <ProductFormDrawer open={editing} productId={editing ? id : null} onClose={() => setEditing(false)} />
      <Modal
        open={docEditing !== null}
        title={docEditing === 'new' ? t('product.addDocument') : t('product.editDocument')}
        onCancel={() => setDocEditing(null)}
        onOk={() => docForm.submit()}
        confirmLoading={saving}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        forceRender
      >
        <Form form={docForm} layout="vertical" onFinish={saveDoc} initialValues={{ kind: 'registration' }} data-testid="document-form">
          {docError && <Alert type="error" showIcon title={docError} style={{ marginBottom: 16 }} />}
          <Form.Item name="kind" label={t('product.documentKind')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`product.documentKinds.${k}`) }))} data-testid="document-form-kind" />
          </Form.Item>
          <Form.Item name="number" label={t('product.documentNumber')} rules={[{ max: 60 }]}>
            <Input data-testid="document-form-number" />
          </Form.Item>
          <Space size={12}>
            <Form.Item name="issuedOn" label={t('product.issuedOn')}>
              <DatePicker data-testid="document-form-issuedOn" />
            </Form.Item>
            <Form.Item name="expiresOn" label={t('product.expiresOn')} extra={t('product.expiresOnHint')}>
              <DatePicker data-testid="document-form-expiresOn" />
            </Form.Item>
          </Space>
          <Form.Item name="notes" label={t('product.notes')} rules={[{ max: 500 }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
