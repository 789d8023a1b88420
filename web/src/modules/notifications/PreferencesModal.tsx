import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Checkbox, Modal, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { CHANNELS, getPreferences, PREFERENCES_KEY, savePreferences, type Channel, type Preferences } from './notifications.api';

type Row = Preferences['events'][number];

/** User menu → 通知设置: per event, which outbound channels to use besides the in-app inbox. */
export function PreferencesModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const prefs = useQuery({ queryKey: PREFERENCES_KEY, queryFn: getPreferences, enabled: open });
  const [draft, setDraft] = useState<Row[]>([]);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (prefs.data) setDraft(prefs.data.events);
  }, [prefs.data]);

  const available = prefs.data?.available;
  const toggle = (event: string, channel: Channel, enabled: boolean) =>
    setDraft((rows) => rows.map((r) => (r.event === event ? { ...r, channels: { ...r.channels, [channel]: enabled } } : r)));

  async function save() {
    setSaving(true);
    try {
      const items = draft.flatMap((r) => CHANNELS.map((channel) => ({ event: r.event, channel, enabled: r.channels[channel] })));
      const saved = await savePreferences(items);
      queryClient.setQueryData(PREFERENCES_KEY, saved);
      message.success(t('notifications.preferencesSaved'));
      onClose();
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  const columns: TableColumnsType<Row> = [
    { title: t('notifications.event'), dataIndex: 'name', key: 'name' },
    { title: t('notifications.channels.inApp'), key: 'inApp', width: 90, align: 'center', render: () => <Checkbox checked disabled /> },
    ...CHANNELS.map((channel) => ({
      title: (
        <Tooltip title={available && !available[channel] ? t(`notifications.unavailable.${channel}`) : undefined}>
          <span>{t(`notifications.channels.${channel}`)}</span>
        </Tooltip>
      ),
      key: channel,
      width: 90,
      align: 'center' as const,
      render: (_: unknown, row: Row) => (
        <Checkbox
          checked={row.channels[channel]}
          disabled={!available?.[channel] && !row.channels[channel]}
          onChange={(e) => toggle(row.event, channel, e.target.checked)}
          data-testid={`pref-${row.event}-${channel}`}
        />
      ),
    })),
  ];

  return (
    <Modal
      open={open}
      title={t('notifications.preferences')}
      width={640}
      onCancel={onClose}
      onOk={save}
      okText={t('common.save')}
      okButtonProps={{ loading: saving, disabled: !prefs.data, 'data-testid': 'preferences-save' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('notifications.preferencesHint')}</Typography.Paragraph>
      <Table<Row>
        rowKey="event"
        size="small"
        pagination={false}
        loading={prefs.isFetching}
        columns={columns}
        dataSource={draft}
        locale={prefs.isError ? { emptyText: prefs.error.message } : undefined}
      />
    </Modal>
  );
}
