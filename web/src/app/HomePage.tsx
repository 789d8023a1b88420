import { Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { ApartmentOutlined, AuditOutlined, SafetyCertificateOutlined, TeamOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth, useMe } from './auth';
import { PERMISSIONS } from './permissions';
import { PageTitle } from '../shared/PageTitle';

const SHORTCUTS = [
  { path: '/admin/users', permission: PERMISSIONS.usersRead, labelKey: 'menu.users', icon: <TeamOutlined /> },
  { path: '/admin/departments', permission: PERMISSIONS.departmentsRead, labelKey: 'menu.departments', icon: <ApartmentOutlined /> },
  { path: '/admin/roles', permission: PERMISSIONS.rolesRead, labelKey: 'menu.roles', icon: <SafetyCertificateOutlined /> },
  { path: '/admin/audit', permission: PERMISSIONS.auditRead, labelKey: 'menu.audit', icon: <AuditOutlined /> },
];

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const shortcuts = SHORTCUTS.filter((s) => can(s.permission));

  return (
    <>
      <PageTitle title={t('menu.home')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card data-testid="welcome-card">
            <Typography.Title level={4} style={{ marginTop: 0 }}>
              {t('home.welcome', { name: me.displayName })}
            </Typography.Title>
            <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
            <Descriptions column={1} size="small" styles={{ label: { width: 140 } }}>
              <Descriptions.Item label={t('user.username')}>{me.username}</Descriptions.Item>
              <Descriptions.Item label={t('user.department')}>{me.department?.name ?? t('home.noDepartment')}</Descriptions.Item>
              <Descriptions.Item label={t('user.roles')}>
                {me.roles.length ? (
                  <Space size={[4, 4]} wrap>
                    {me.roles.map((role) => (
                      <Tag key={role.id} color="cyan">
                        {role.name}
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  t('home.noRoles')
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('home.dataScopes')}>
                {me.dataScopes.length ? (
                  <Space size={[4, 4]} wrap>
                    {me.dataScopes.map((scope) => (
                      <Tag key={scope} color="geekblue">
                        {t(`dataScope.${scope}`, { defaultValue: scope })}
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  t('home.noDataScopes')
                )}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        {shortcuts.length > 0 && (
          <Col xs={24} xl={8}>
            <Card title={t('home.shortcuts')}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                {shortcuts.map((s) => (
                  <Link key={s.path} to={s.path}>
                    <Space>
                      {s.icon}
                      {t(s.labelKey)}
                    </Space>
                  </Link>
                ))}
              </Space>
            </Card>
          </Col>
        )}
      </Row>
    </>
  );
}
