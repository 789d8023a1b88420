import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import type { ContactInfluence, ContactStatus } from './contacts.api';

const INFLUENCE_COLORS: Record<ContactInfluence, string> = { decision_maker: 'red', influencer: 'orange', user: 'blue', other: 'default' };

export const InfluenceTag = ({ influence, t }: { influence: ContactInfluence; t: TFunction }) => <Tag color={INFLUENCE_COLORS[influence]}>{t(`contact.influences.${influence}`)}</Tag>;

export const ContactStatusTag = ({ status, t }: { status: ContactStatus; t: TFunction }) => (status === 'left' ? <Tag>{t('contact.statuses.left')}</Tag> : null);
