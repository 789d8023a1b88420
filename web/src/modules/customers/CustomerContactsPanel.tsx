import { useQuery } from '@tanstack/react-query';
import { Button, Space, Table, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { ContactStatusTag, InfluenceTag } from '../contacts/contactLabels';
import { CONTACTS_KEY, customerContacts, type ContactListRow } from '../contacts/contacts.api';
import { useContactActions } from '../contacts/useContactActions';

/** The 联系人 tab of the 360° page: the customer's people, decision makers first, with add / edit / move / left. */
export function CustomerContactsPanel({ customerId, editable }: { customerId: number; editable: boolean }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canWrite = editable && can(PERMISSIONS.contactsWrite);
  const actions = useContactActions({ customerId, canWrite });
  const contacts = useQuery({ queryKey: [...CONTACTS_KEY, 'customer', customerId], queryFn: ({ signal }) => customerContacts(customerId, signal) });

  const columns: TableColumnsType<ContactListRow> = [
    {
      title: t('contact.name'),
      key: 'name',
      width: 130,
      render: (_, c) => (
        <Space size={4}>
          {c.name}
          <ContactStatusTag status={c.status} t={t} />
        </Space>
      ),
    },
    { title: t('contact.department'), dataIndex: 'department', key: 'department', width: 110 },
    { title: t('contact.title'), dataIndex: 'title', key: 'title', width: 130 },
    { title: t('contact.influence'), key: 'influence', width: 100, render: (_, c) => <InfluenceTag influence={c.influence} t={t} /> },
    { title: t('contact.mobile'), dataIndex: 'mobile', key: 'mobile', width: 130 },
    { title: t('contact.wechat'), dataIndex: 'wechat', key: 'wechat', width: 110 },
    { title: t('contact.birthday'), dataIndex: 'birthday', key: 'birthday', width: 110 },
    ...(canWrite ? [{ title: t('common.actions'), key: 'actions', width: 190, render: (_: unknown, c: ContactListRow) => actions.rowActions(c) }] : []),
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {canWrite && (
        <Button icon={<PlusOutlined />} onClick={actions.create} data-testid="customer-contacts-new">
          {t('contact.new')}
        </Button>
      )}
      <Table<ContactListRow>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={contacts.data}
        loading={contacts.isFetching}
        pagination={false}
        scroll={{ x: 900 }}
        locale={contacts.isError ? { emptyText: <Typography.Text type="danger">{contacts.error.message}</Typography.Text> } : undefined}
        data-testid="customer-contacts-table"
      />
      {actions.element}
    </Space>
  );
}
