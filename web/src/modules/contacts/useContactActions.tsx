import { useState, type ReactNode } from 'react';
import { App, Button, Popconfirm, Space } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ContactFormDrawer } from './ContactFormDrawer';
import { ContactMoveModal } from './ContactMoveModal';
import { CONTACTS_KEY, getContact, markContactLeft, type ContactDetail, type ContactListRow } from './contacts.api';

/**
 * The contact actions a list row offers (edit, move, mark as left) and the drawer/modal they open.
 * The current version is read when an action starts, so a stale list row cannot overwrite a newer edit.
 */
export function useContactActions(options: { customerId?: number; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<ContactDetail | null>(null);
  const [moving, setMoving] = useState<{ row: ContactListRow; version: number } | null>(null);

  const fresh = (id: number) => queryClient.fetchQuery({ queryKey: [...CONTACTS_KEY, 'detail', id], queryFn: ({ signal }) => getContact(id, signal), staleTime: 0 });
  const fail = (error: unknown) => message.error(error instanceof Error ? error.message : String(error));

  const left = useMutation({
    mutationFn: async (row: ContactListRow) => markContactLeft(row.id, (await fresh(row.id)).version),
    onSuccess: async (saved) => {
      message.success(t('contact.markedLeft', { name: saved.name }));
      await queryClient.invalidateQueries({ queryKey: CONTACTS_KEY });
    },
    onError: fail,
  });

  const rowActions = (row: ContactListRow): ReactNode =>
    options.canWrite && (
      <Space size={0}>
        <Button type="link" size="small" onClick={() => fresh(row.id).then(setEditing, fail)} data-testid={`contact-edit-${row.id}`}>
          {t('common.edit')}
        </Button>
        <Button type="link" size="small" onClick={() => fresh(row.id).then((d) => setMoving({ row, version: d.version }), fail)} data-testid={`contact-move-${row.id}`}>
          {t('contact.move')}
        </Button>
        {row.status === 'active' && (
          <Popconfirm title={t('contact.leftConfirm', { name: row.name })} onConfirm={() => left.mutate(row)}>
            <Button type="link" size="small" danger data-testid={`contact-left-${row.id}`}>
              {t('contact.markLeft')}
            </Button>
          </Popconfirm>
        )}
      </Space>
    );

  const element = (
    <>
      <ContactFormDrawer open={creating || editing !== null} contact={editing} customerId={options.customerId} onClose={() => (setCreating(false), setEditing(null))} />
      <ContactMoveModal contact={moving?.row ?? null} version={moving?.version ?? null} onClose={() => setMoving(null)} />
    </>
  );
  return { create: () => setCreating(true), rowActions, element };
}
