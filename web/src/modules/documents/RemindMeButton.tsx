import { useState } from 'react';
import { App, Button, type ButtonProps, DatePicker, Form, Input, Modal } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { showFieldErrors } from '../../shared/formErrors';

/** "Remind me" about a document: the reminder arrives in the inbox (and chosen channels) at the time. */
export function RemindMeButton({ docType, docId }: { docType: string; docId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ remindAt: Dayjs; text: string }>();

  async function submit(values: { remindAt: Dayjs; text: string }) {
    setSaving(true);
    try {
      await api.post('/reminders', { remindAt: values.remindAt.toISOString(), text: values.text, docType, docId });
      message.success(t('reminder.saved', { when: values.remindAt.format('YYYY-MM-DD HH:mm') }));
      setOpen(false);
      form.resetFields();
    } catch (err) {
      if (!showFieldErrors(form, err)) message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <Button icon={<BellOutlined />} onClick={() => setOpen(true)} data-testid="remind-me">
        {t('reminder.button')}
      </Button>
      <Modal open={open} title={t('reminder.title')} onCancel={() => setOpen(false)} onOk={() => form.submit()} okButtonProps={{ loading: saving, 'data-testid': 'remind-me-save' } as ButtonProps}>
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ remindAt: dayjs().add(1, 'day').hour(9).minute(0).second(0) }}>
          <Form.Item name="remindAt" label={t('reminder.when')} rules={[{ required: true, message: t('validation.required') }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isBefore(dayjs(), 'day')} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="text" label={t('reminder.text')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 500 }]}>
            <Input.TextArea rows={3} maxLength={500} showCount data-testid="remind-me-text" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
