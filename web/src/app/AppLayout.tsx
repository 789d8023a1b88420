import { useEffect, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Avatar, Badge, Breadcrumb, Button, Dropdown, Layout, Menu, Space, Tooltip, Typography, type MenuProps } from 'antd';
import { BellOutlined, CheckSquareOutlined, KeyOutlined, LogoutOutlined, SwapOutlined, UserOutlined } from '@ant-design/icons';
import { useApprovalTasks } from '../modules/approvals/approvals.api';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from './auth';
import { MENU, selectedMenu, visibleMenu, type MenuEntry } from './menu';
import { LanguageSwitch } from './LanguageSwitch';
import { ChangePasswordModal } from './ChangePasswordForm';
import { NotificationBell } from '../modules/notifications/NotificationBell';
import { PreferencesModal } from '../modules/notifications/PreferencesModal';

const { Sider, Header, Content } = Layout;
const COLLAPSED_KEY = 'rxdesk.siderCollapsed';

function toItems(entries: MenuEntry[], t: (key: string) => string, counts: Record<string, number>): MenuProps['items'] {
  const label = (entry: MenuEntry) =>
    counts[entry.key] ? (
      <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
        {t(entry.labelKey)}
        <Badge count={counts[entry.key]} size="small" data-testid={`menu-count-${entry.key}`} />
      </span>
    ) : (
      t(entry.labelKey)
    );
  return entries.map((entry) =>
    entry.children
      ? { key: entry.key, icon: entry.icon, label: label(entry), children: toItems(entry.children, t, counts) }
      : { key: entry.key, icon: entry.icon, label: label(entry), 'data-testid': `menu-${entry.key}` },
  );
}

// The to-do count is refreshed once a minute: enough to notice new work without a push channel.
const PENDING_POLL_MS = 60_000;

function findTrail(entries: MenuEntry[], key: string | undefined): MenuEntry[] {
  if (!key) return [];
  for (const entry of entries) {
    if (entry.key === key) return [entry];
    if (entry.children) {
      const trail = findTrail(entry.children, key);
      if (trail.length) return [entry, ...trail];
    }
  }
  return [];
}

export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const { can, logout, changeLocale } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem(COLLAPSED_KEY) === '1');
  const [passwordOpen, setPasswordOpen] = useState(false);
  const [preferencesOpen, setPreferencesOpen] = useState(false);

  const entries = useMemo(() => visibleMenu(MENU, can), [can]);
  const { selected, open } = selectedMenu(entries, location.pathname);
  const [openKeys, setOpenKeys] = useState<string[]>(open ? [open] : []);
  useEffect(() => {
    if (open) setOpenKeys((keys) => (keys.includes(open) ? keys : [...keys, open]));
  }, [open]);

  const trail = findTrail(entries, selected);
  const pendingTasks = useApprovalTasks('pending', PENDING_POLL_MS);
  const pendingCount = pendingTasks.data?.length ?? 0;
  const counts = useMemo(() => ({ approvals: pendingCount, '/approvals/pending': pendingCount }), [pendingCount]);

  const userMenu: MenuProps['items'] = [
    {
      key: 'who',
      disabled: true,
      label: (
        <div style={{ lineHeight: 1.4 }}>
          <Typography.Text strong>{me.displayName}</Typography.Text>
          <br />
          <Typography.Text type="secondary">{me.username}</Typography.Text>
        </div>
      ),
    },
    { type: 'divider' },
    { key: 'delegations', icon: <SwapOutlined />, label: <span data-testid="my-delegations">{t('menu.delegations')}</span> },
    { key: 'preferences', icon: <BellOutlined />, label: <span data-testid="notification-preferences">{t('notifications.preferences')}</span> },
    { key: 'password', icon: <KeyOutlined />, label: <span data-testid="change-password">{t('auth.changePassword')}</span> },
    { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('auth.logout')}</span> },
  ];

  return (
    <Layout style={{ minHeight: '100%' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        onCollapse={(value) => {
          setCollapsed(value);
          localStorage.setItem(COLLAPSED_KEY, value ? '1' : '0');
        }}
        width={220}
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <div className="rx-logo" title={t('app.title')}>
          <span className="rx-logo-mark">Rx</span>
          {!collapsed && <span>{t('app.shortName')}</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          openKeys={collapsed ? undefined : openKeys}
          onOpenChange={setOpenKeys}
          items={toItems(entries, t, counts)}
          onClick={({ key }) => navigate(key)}
        />
      </Sider>
      <Layout>
        <Header className="rx-header">
          <Breadcrumb
            items={
              trail.length
                ? trail.map((entry) => ({ title: t(entry.labelKey) }))
                : location.pathname.startsWith('/me/delegations')
                  ? [{ title: t('menu.delegations') }]
                  : [{ title: t('menu.home') }]
            }
          />
          <Space size={4}>
            <Tooltip title={t('approval.pendingCount', { count: pendingCount })}>
              <Button type="text" onClick={() => navigate('/approvals/pending')} data-testid="header-approvals" aria-label={t('menu.approvalsPending')}>
                <Badge count={pendingCount} size="small">
                  <CheckSquareOutlined style={{ fontSize: 16 }} />
                </Badge>
              </Button>
            </Tooltip>
            <NotificationBell />
            <LanguageSwitch onChange={changeLocale} />
            <Dropdown
              trigger={['click']}
              menu={{
                items: userMenu,
                onClick: ({ key }) => {
                  if (key === 'password') setPasswordOpen(true);
                  if (key === 'delegations') navigate('/me/delegations');
                  if (key === 'preferences') setPreferencesOpen(true);
                  if (key === 'logout') void logout().finally(() => navigate('/login', { replace: true }));
                },
              }}
            >
              <a data-testid="user-menu" onClick={(e) => e.preventDefault()} style={{ display: 'inline-flex', alignItems: 'center', gap: 8, padding: '0 8px', color: 'inherit' }}>
                <Avatar size="small" icon={<UserOutlined />} style={{ background: '#0e7c86' }} />
                <span>{me.displayName}</span>
              </a>
            </Dropdown>
          </Space>
        </Header>
        <Content className="rx-content">
          <Outlet />
        </Content>
      </Layout>
      <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
      <PreferencesModal open={preferencesOpen} onClose={() => setPreferencesOpen(false)} />
    </Layout>
  );
}
