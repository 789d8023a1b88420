import { useEffect } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, DatePicker, Divider, Drawer, Form, Input, Radio, Row, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { showFieldErrors } from '../../shared/formErrors';
import { UserSelect } from '../../shared/UserSelect';
import {
  ACTIVITIES_KEY,
  ACTIVITY_TYPES,
  type ActivityDetail,
  type ActivityFields,
  type ActivityType,
  createActivity,
  instantToPicker,
  pickerToInstant,
  updateActivity,
} from './activities.api';
import { ColleaguesSelect, ContactsSelect, LeadSelect } from './activitySelects';
import { ProductsSelect } from '../products/ProductsSelect';

/** What a caller may prefill: the customer or lead of the page, the day clicked in the calendar. */
export interface ActivityDefaults {
  customerId?: number;
  customerName?: string;
  leadId?: number;
  /** 'YYYY-MM-DD': plan a visit on that day at 09:00. */
  day?: string;
  type?: ActivityType;
}

interface FormValues {
  type: ActivityType;
  status: 'planned' | 'done';
  about: 'customer' | 'lead';
  customerId?: number | null;
  leadId?: number | null;
  contactIds: number[];
  hospitalDepartment?: string;
  productIds: number[];
  startsAt: Dayjs;
  endsAt?: Dayjs | null;
  subject?: string;
  description?: string;
  materials?: string;
  outcome?: string;
  nextStep?: string;
  nextFollowUpOn?: Dayjs | null;
  location?: string;
  agenda?: string;
  decisions?: string;
  attendeeIds: number[];
  actionItems?: { text: string; ownerId: number; dueOn?: Dayjs | null }[];
}

const blank = (v: string | undefined | null) => (v && v.trim() ? v.trim() : null);

function initialValues(activity: ActivityDetail | null | undefined, defaults: ActivityDefaults): Partial<FormValues> {
  if (activity) {
    return {
      type: activity.type,
      status: activity.status === 'planned' ? 'planned' : 'done',
      about: activity.customerId ? 'customer' : 'lead',
      customerId: activity.customerId,
      leadId: activity.leadId,
      contactIds: activity.contacts.map((c) => c.id),
      hospitalDepartment: activity.hospitalDepartment ?? undefined,
      productIds: activity.products.map((p) => p.id),
      startsAt: instantToPicker(activity.startsAt),
      endsAt: activity.endsAt ? instantToPicker(activity.endsAt) : null,
      subject: activity.subject,
      description: activity.description ?? undefined,
      materials: activity.materials ?? undefined,
      outcome: activity.outcome ?? undefined,
      nextStep: activity.nextStep ?? undefined,
      nextFollowUpOn: activity.nextFollowUpOn ? dayjs(activity.nextFollowUpOn) : null,
      location: activity.location ?? undefined,
      agenda: activity.agenda ?? undefined,
      decisions: activity.decisions ?? undefined,
      attendeeIds: activity.attendees.map((a) => a.id),
    };
  }
  const now = instantToPicker(new Date().toISOString()).second(0).millisecond(0);
  return {
    type: defaults.type ?? 'visit',
    status: defaults.day ? 'planned' : 'done',
    about: defaults.leadId && !defaults.customerId ? 'lead' : 'customer',
    customerId: defaults.customerId ?? null,
    leadId: defaults.leadId ?? null,
    contactIds: [],
    productIds: [],
    attendeeIds: [],
    startsAt: defaults.day ? dayjs(`${defaults.day}T09:00:00`) : now,
    actionItems: [],
  };
}

/**
 * The activity form in a drawer (记录拜访 / 计划拜访 / edit), shared by the list, the calendar, the
 * activity page and the customer's 360° tab. What was typed stays after a server error.
 */
export function ActivityDrawer({
  open,
  onClose,
  activity,
  defaults = {},
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  activity?: ActivityDetail | null;
  defaults?: ActivityDefaults;
  onSaved?: (saved: ActivityDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const type = Form.useWatch('type', form);
  const about = Form.useWatch('about', form);
  const customerId = Form.useWatch('customerId', form);
  const status = Form.useWatch('status', form);

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue(initialValues(activity, defaults) as FormValues);
    }
    // Prefill once per opening; the defaults object is rebuilt on every render of the caller.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, activity?.id, activity?.version]);

  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const meeting = v.type === 'meeting';
      const body: ActivityFields = {
        type: v.type,
        status: v.status,
        customerId: v.about === 'customer' ? (v.customerId ?? null) : null,
        leadId: v.about === 'lead' ? (v.leadId ?? null) : activity?.leadId && v.customerId === activity.customerId ? activity.leadId : null,
        hospitalDepartment: blank(v.hospitalDepartment),
        contactIds: v.about === 'customer' ? (v.contactIds ?? []) : [],
        productIds: v.productIds ?? [],
        subject: blank(v.subject),
        startsAt: pickerToInstant(v.startsAt),
        endsAt: v.endsAt ? pickerToInstant(v.endsAt) : null,
        description: blank(v.description),
        materials: blank(v.materials),
        outcome: blank(v.outcome),
        nextStep: blank(v.nextStep),
        nextFollowUpOn: v.nextFollowUpOn ? v.nextFollowUpOn.format('YYYY-MM-DD') : null,
        location: blank(v.location),
        agenda: meeting ? blank(v.agenda) : null,
        decisions: meeting ? blank(v.decisions) : null,
        attendeeIds: meeting ? (v.attendeeIds ?? []) : [],
      };
      if (activity) return updateActivity(activity.id, { ...body, version: activity.version });
      return createActivity({
        ...body,
        actionItems: meeting ? (v.actionItems ?? []).filter((i) => i?.text && i.ownerId).map((i) => ({ text: i.text, ownerId: i.ownerId, dueOn: i.dueOn ? i.dueOn.format('YYYY-MM-DD') : null })) : [],
      });
    },
    onSuccess: async (saved) => {
      message.success(activity ? t('activities.saved') : t('activities.created'));
      await queryClient.invalidateQueries({ queryKey: ACTIVITIES_KEY });
      onClose();
      onSaved?.(saved);
    },
    onError: (error) => {
      if (!showFieldErrors(form, error)) message.error(error instanceof Error ? error.message : String(error));
      else message.error(t('activities.fixErrors'));
    },
  });

  const knownContacts = activity?.contacts.map((c) => ({ id: c.id, name: c.name })) ?? [];

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size="large"
      title={activity ? t('activities.edit') : t('activities.new')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="activity-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<FormValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="activity-form">
        <Row gutter={12}>
          <Col span={14}>
            <Form.Item name="type" label={t('activities.type')} rules={[{ required: true }]}>
              <Select
                options={ACTIVITY_TYPES.map((x) => ({ value: x, label: t(`activities.types.${x}`) }))}
                disabled={!!activity && activity.type === 'meeting'}
                data-testid="activity-form-type"
              />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="status" label={t('activities.status')}>
              <Radio.Group optionType="button" data-testid="activity-form-status">
                <Radio.Button value="done" data-testid="activity-form-status-done">
                  {t('activities.statuses.done')}
                </Radio.Button>
                <Radio.Button value="planned" disabled={activity?.status === 'done'} data-testid="activity-form-status-planned">
                  {t('activities.statuses.planned')}
                </Radio.Button>
              </Radio.Group>
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="about" label={t('activities.about')}>
          <Radio.Group
            onChange={() => form.setFieldsValue({ contactIds: [] })}
            options={[
              { value: 'customer', label: t('activities.aboutCustomer') },
              { value: 'lead', label: t('activities.aboutLead') },
            ]}
          />
        </Form.Item>
        {about === 'lead' ? (
          <Form.Item name="leadId" label={t('activities.lead')} rules={[{ required: true, message: t('activities.leadRequired') }]}>
            <LeadSelect
              knownLead={activity?.leadId ? { id: activity.leadId, label: `${activity.leadOrganisation}（${activity.leadCode}）` } : null}
              data-testid="activity-form-lead"
            />
          </Form.Item>
        ) : (
          <Form.Item name="customerId" label={t('activities.customer')} rules={[{ required: true, message: t('activities.customerRequired') }]}>
            <CustomerSelect
              knownCustomer={
                activity?.customerId
                  ? { id: activity.customerId, name: activity.customerName ?? '' }
                  : defaults.customerId && defaults.customerName
                    ? { id: defaults.customerId, name: defaults.customerName }
                    : null
              }
              onChange={() => form.setFieldsValue({ contactIds: [] })}
              data-testid="activity-form-customer"
            />
          </Form.Item>
        )}
        {about !== 'lead' && (
          <Row gutter={12}>
            <Col span={16}>
              <Form.Item name="contactIds" label={t('activities.contacts')}>
                <ContactsSelect customerId={customerId} known={knownContacts} data-testid="activity-form-contacts" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="hospitalDepartment" label={t('activities.hospitalDepartment')}>
                <Input maxLength={60} placeholder={t('activities.hospitalDepartmentPlaceholder')} data-testid="activity-form-department" />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="startsAt" label={t('activities.startsAt')} rules={[{ required: true }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="activity-form-startsAt" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="endsAt" label={t('activities.endsAt')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="activity-form-endsAt" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="subject" label={t('activities.subject')} extra={t('activities.subjectHint')}>
          <Input maxLength={200} data-testid="activity-form-subject" />
        </Form.Item>
        <Form.Item name="productIds" label={t('activities.products')}>
          <ProductsSelect allowClear placeholder={t('activities.productsPlaceholder')} data-testid="activity-form-products" />
        </Form.Item>
        <Form.Item name="description" label={t('activities.description')}>
          <Input.TextArea rows={3} maxLength={5000} data-testid="activity-form-description" />
        </Form.Item>
        <Form.Item name="materials" label={t('activities.materials')}>
          <Input maxLength={2000} placeholder={t('activities.materialsPlaceholder')} data-testid="activity-form-materials" />
        </Form.Item>
        {status !== 'planned' && (
          <Form.Item name="outcome" label={t('activities.outcome')}>
            <Input.TextArea rows={2} maxLength={5000} data-testid="activity-form-outcome" />
          </Form.Item>
        )}
        <Row gutter={12}>
          <Col span={14}>
            <Form.Item name="nextStep" label={t('activities.nextStep')}>
              <Input maxLength={1000} data-testid="activity-form-nextStep" />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="nextFollowUpOn" label={t('activities.nextFollowUpOn')}>
              <DatePicker style={{ width: '100%' }} data-testid="activity-form-followUp" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="location" label={t('activities.location')}>
          <Input maxLength={200} data-testid="activity-form-location" />
        </Form.Item>
        {type === 'meeting' && (
          <>
            <Divider>{t('activities.meeting')}</Divider>
            <Form.Item name="agenda" label={t('activities.agenda')}>
              <Input.TextArea rows={3} maxLength={5000} data-testid="activity-form-agenda" />
            </Form.Item>
            <Form.Item name="attendeeIds" label={t('activities.attendees')}>
              <ColleaguesSelect known={activity?.attendees ?? []} data-testid="activity-form-attendees" />
            </Form.Item>
            <Form.Item name="decisions" label={t('activities.decisions')}>
              <Input.TextArea rows={3} maxLength={5000} data-testid="activity-form-decisions" />
            </Form.Item>
            {!activity && (
              <Form.List name="actionItems">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((field) => (
                      <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                        <Form.Item name={[field.name, 'text']} rules={[{ required: true, message: t('activities.actionItemText') }]}>
                          <Input placeholder={t('activities.actionItemText')} style={{ width: 240 }} maxLength={500} />
                        </Form.Item>
                        <Form.Item name={[field.name, 'ownerId']} rules={[{ required: true, message: t('activities.actionItemOwner') }]}>
                          <UserSelect source="directory" placeholder={t('activities.actionItemOwner')} style={{ width: 160 }} />
                        </Form.Item>
                        <Form.Item name={[field.name, 'dueOn']}>
                          <DatePicker placeholder={t('activities.actionItemDue')} />
                        </Form.Item>
                        <MinusCircleOutlined onClick={() => remove(field.name)} />
                      </Space>
                    ))}
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} data-testid="activity-form-add-action-item">
                      {t('activities.addActionItem')}
                    </Button>
                  </>
                )}
              </Form.List>
            )}
          </>
        )}
      </Form>
    </Drawer>
  );
}
