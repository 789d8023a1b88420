import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Input, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { downloadFile } from '../../shared/api';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { contactFiltersToQuery, contactListQuery, readContactFilters } from './contactFilters';
import { ContactStatusTag, InfluenceTag } from './contactLabels';
import { CONTACT_INFLUENCES, CONTACT_STATUSES, CONTACTS_KEY, listContacts, type ContactListRow } from './contacts.api';
import { useContactActions } from './useContactActions';

/** 联系人: the people at the customers the user's scope covers, searchable by name, pinyin, initials or mobile. */
export default function ContactListPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const { params, update, clear } = useUrlState();
  const filters = readContactFilters(params);
  const { page, pageSize } = readPage(params);
  const sort = parseSort(filters.sort);
  const query = contactListQuery(params);
  const [keyword, setKeyword] = useState(filters.q ?? '');
  useEffect(() => setKeyword(filters.q ?? ''), [filters.q]);
  const [department, setDepartment] = useState(filters.department ?? '');
  useEffect(() => setDepartment(filters.department ?? ''), [filters.department]);
  const [exporting, setExporting] = useState(false);
  const actions = useContactActions({ canWrite: can(PERMISSIONS.contactsWrite) });

  const contacts = useQuery({ queryKey: [...CONTACTS_KEY, 'list', query], queryFn: ({ signal }) => listContacts(query, signal), placeholderData: keepPreviousData });

  async function exportContacts() {
    setExporting(true);
    try {
      await downloadFile('/contacts/export', contactFiltersToQuery(filters), `${t('contact.exportFileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });
  const columns: TableColumnsType<ContactListRow> = [
    {
      title: t('contact.name'),
      key: 'name',
      ...sortable('name'),
      width: 140,
      render: (_, c) => (
        <Space size={4}>
          {c.name}
          <ContactStatusTag status={c.status} t={t} />
        </Space>
      ),
    },
    { title: t('contact.customer'), key: 'customer', ...sortable('customer'), width: 240, render: (_, c) => <Link to={`/customers/${c.customerId}?tab=contacts`}>{c.customerName}</Link> },
    { title: t('contact.department'), dataIndex: 'department', key: 'department', ...sortable('department'), width: 110 },
    { title: t('contact.title'), dataIndex: 'title', key: 'title', width: 130 },
    { title: t('contact.mobile'), dataIndex: 'mobile', key: 'mobile', width: 130 },
    { title: t('contact.wechat'), dataIndex: 'wechat', key: 'wechat', width: 110 },
    { title: t('contact.birthday'), dataIndex: 'birthday', key: 'birthday', ...sortable('birthday'), width: 110 },
    { title: t('contact.influence'), key: 'influence', ...sortable('influence'), width: 100, render: (_, c) => <InfluenceTag influence={c.influence} t={t} /> },
    { title: t('common.actions'), key: 'actions', fixed: 'right', width: 190, render: (_, c) => actions.rowActions(c) },
  ];

  return (
    <>
      <PageTitle
        title={t('menu.contacts')}
        extra={
          <Space>
            {can(PERMISSIONS.customersImport) && (
              <Link to="/contacts/import">
                <Button icon={<UploadOutlined />}>{t('common.import')}</Button>
              </Link>
            )}
            {can(PERMISSIONS.customersExport) && (
              <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportContacts} data-testid="contacts-export">
                {t('common.export')}
              </Button>
            )}
            {can(PERMISSIONS.contactsWrite) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={actions.create} data-testid="contacts-new">
                {t('contact.new')}
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <Space wrap className="rx-filters" size={[12, 12]}>
          <Input.Search
            allowClear
            style={{ width: 260 }}
            placeholder={t('contact.keywordPlaceholder')}
            value={keyword}
            onChange={(e) => {
              setKeyword(e.target.value);
              if (!e.target.value) update({ q: undefined });
            }}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            data-testid="contacts-filter-q"
          />
          <CustomerSelect style={{ width: 260 }} allowClear placeholder={t('contact.customer')} value={filters.customerId} onChange={(value) => update({ customerId: value ?? undefined })} />
          <Input
            allowClear
            style={{ width: 140 }}
            placeholder={t('contact.department')}
            value={department}
            onChange={(e) => {
              setDepartment(e.target.value);
              if (!e.target.value) update({ department: undefined });
            }}
            onPressEnter={() => update({ department: department.trim() || undefined })}
          />
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={t('contact.influence')}
            value={filters.influence}
            onChange={(value) => update({ influence: value })}
            options={CONTACT_INFLUENCES.map((x) => ({ value: x, label: t(`contact.influences.${x}`) }))}
          />
          <Select
            allowClear
            style={{ width: 110 }}
            placeholder={t('contact.status')}
            value={filters.status}
            onChange={(value) => update({ status: value })}
            options={CONTACT_STATUSES.map((x) => ({ value: x, label: t(`contact.statuses.${x}`) }))}
          />
          <Button icon={<ReloadOutlined />} onClick={clear}>
            {t('common.reset')}
          </Button>
        </Space>
        <Table<ContactListRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={contacts.data?.items}
          loading={contacts.isFetching}
          scroll={{ x: 1300 }}
          locale={contacts.isError ? { emptyText: <Typography.Text type="danger">{contacts.error.message}</Typography.Text> } : undefined}
          data-testid="contacts-table"
          {...serverTableProps<ContactListRow>({ page, pageSize, total: contacts.data?.total ?? 0, update, t })}
        />
      </Card>
      {actions.element}
    </>
  );
}
