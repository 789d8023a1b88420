import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, Space, Table, Tag, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { documentPath, useApprovalTasks, type ApprovalResult, type ApprovalTask } from './approvals.api';
import { DecisionModal, type Deciding } from './DecisionModal';
import { InitialPasswordModal } from './InitialPasswordModal';

export const TASK_STATUS_COLORS: Record<string, string> = { pending: 'processing', approved: 'success', rejected: 'error', skipped: 'default' };

/** 待办审批 / 已办审批: the tasks waiting for me (or whom I stand in for), or those I decided. */
export default function ApprovalTasksPage({ status }: { status: 'pending' | 'done' }) {
  const { t } = useTranslation();
  const tasks = useApprovalTasks(status);
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  const [result, setResult] = useState<ApprovalResult | null>(null);
  const pending = status === 'pending';

  const columns: TableColumnsType<ApprovalTask> = [
    {
      title: t('approval.docNumber'),
      key: 'docNumber',
      width: 170,
      render: (_, task) => {
        const path = documentPath(task.docType, task.docId);
        return path ? (
          <Link to={path} data-testid={`task-doc-${task.id}`}>
            {task.docNumber}
          </Link>
        ) : (
          task.docNumber
        );
      },
    },
    { title: t('approval.docType'), dataIndex: 'docTypeName', key: 'docTypeName', width: 110 },
    { title: t('approval.docTitle'), dataIndex: 'docTitle', key: 'docTitle', width: 200 },
    {
      title: t('approval.step'),
      key: 'step',
      width: 200,
      render: (_, task) => (
        <Space size={4} wrap>
          <span>{task.stepName}</span>
          {task.onBehalf && (
            <Tag color="orange" data-testid={`task-on-behalf-${task.id}`}>
              {t('approval.onBehalf', { name: task.approver.displayName })}
            </Tag>
          )}
        </Space>
      ),
    },
    { title: t('approval.submitter'), key: 'submitter', width: 100, render: (_, task) => task.submitter.displayName },
    { title: t('approval.submittedAt'), dataIndex: 'submittedAt', key: 'submittedAt', width: 150, render: (v: string) => formatDateTime(v) },
  ];
  if (pending) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 140,
      render: (_, task) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setDeciding({ task, decision: 'approve' })} data-testid={`task-approve-${task.id}`}>
            {t('approval.approve')}
          </Button>
          <Button type="link" size="small" danger onClick={() => setDeciding({ task, decision: 'reject' })} data-testid={`task-reject-${task.id}`}>
            {t('approval.reject')}
          </Button>
        </Space>
      ),
    });
  } else {
    columns.push(
      {
        title: t('approval.decision'),
        dataIndex: 'status',
        key: 'status',
        width: 100,
        render: (value: string) => <Tag color={TASK_STATUS_COLORS[value]}>{t(`approval.taskStatuses.${value}`, { defaultValue: value })}</Tag>,
      },
      { title: t('approval.comment'), dataIndex: 'comment', key: 'comment', width: 200, render: (v: string | null) => v ?? '—' },
      { title: t('approval.decidedAt'), dataIndex: 'decidedAt', key: 'decidedAt', width: 150, render: (v: string | null) => formatDateTime(v) },
    );
  }

  return (
    <>
      <PageTitle
        title={pending ? t('menu.approvalsPending') : t('menu.approvalsDone')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void tasks.refetch()} loading={tasks.isFetching}>
            {t('common.refresh')}
          </Button>
        }
      />
      <Card>
        <Table<ApprovalTask>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={tasks.data}
          loading={tasks.isFetching}
          scroll={{ x: 1100 }}
          locale={{ emptyText: tasks.isError ? tasks.error.message : pending ? t('approval.noPending') : t('approval.noDone') }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
          data-testid={`approval-tasks-${status}`}
        />
      </Card>
      <DecisionModal
        deciding={deciding}
        onClose={() => setDeciding(null)}
        onDecided={(reply) => {
          setDeciding(null);
          if (reply.result?.initialPassword) setResult(reply.result);
        }}
      />
      <InitialPasswordModal result={result} onClose={() => setResult(null)} />
    </>
  );
}
