import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Input, Skeleton, Space, Steps, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { addComment, timelineKey, useTimeline, type ApprovalTrail, type Timeline as TimelineData, type TimelineEvent } from './documents.api';

const EVENT_COLORS: Record<string, string> = { created: 'blue', transition: 'cyan', approval: 'green', comment: 'gray', edit: 'blue', attachment: 'gray' };

function stepOf(event: TimelineEvent): string | null {
  const data = event.data as { step?: unknown } | null;
  return data && typeof data.step === 'string' ? data.step : null;
}

/** One line per event: who (for whom), what, and the state change it caused. */
function EventLine({ event, states }: { event: TimelineEvent; states: TimelineData['states'] }) {
  const { t } = useTranslation();
  const actor = event.actorName ?? t('timeline.system');
  const who = event.onBehalfOfName ? t('timeline.actorOnBehalf', { actor, principal: event.onBehalfOfName }) : actor;
  let what: string;
  if (event.kind === 'transition') what = t(`timeline.transitions.${event.transition}`, { defaultValue: event.transition ?? '' });
  else if (event.kind === 'approval') {
    const step = stepOf(event);
    what = t(`timeline.approvals.${event.transition}`, { defaultValue: event.transition ?? '', step: step ?? '' });
  } else what = t(`timeline.kinds.${event.kind}`, { defaultValue: event.kind });
  const rejected = event.transition === 'rejected_step' || event.transition === 'reject';
  return (
    <div data-testid={`timeline-event-${event.id}`}>
      <Typography.Text strong>{who}</Typography.Text> <Typography.Text type={rejected ? 'danger' : undefined}>{what}</Typography.Text>
      {event.comment && <Typography.Text>：{event.comment}</Typography.Text>}
      {event.fromState && event.toState && (
        <div>
          <Tag>{states[event.fromState] ?? event.fromState}</Tag>→ <Tag color="blue">{states[event.toState] ?? event.toState}</Tag>
        </div>
      )}
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(event.at, true)}
        </Typography.Text>
      </div>
    </div>
  );
}

/** Steps of one approval round: who is (or was) to approve each step and how it went. */
function ApprovalProgress({ trail }: { trail: ApprovalTrail }) {
  const { t } = useTranslation();
  const seqs = [...new Set(trail.tasks.map((task) => task.stepSeq))].sort((a, b) => a - b);
  const items = seqs.map((seq) => {
    const tasks = trail.tasks.filter((task) => task.stepSeq === seq);
    const statuses = tasks.map((task) => task.status);
    const status = statuses.includes('rejected') ? 'error' : statuses.includes('pending') ? 'process' : statuses.includes('approved') ? 'finish' : 'wait';
    return {
      title: tasks[0].stepName,
      status: status as 'error' | 'process' | 'finish' | 'wait',
      content: (
        <Space orientation="vertical" size={0}>
          {tasks.map((task) => (
            <span key={task.id}>
              {task.decidedByName && task.decidedByName !== task.approverName ? t('timeline.actorOnBehalf', { actor: task.decidedByName, principal: task.approverName }) : task.approverName}
              {' · '}
              {t(`approval.taskStatuses.${task.status}`, { defaultValue: task.status })}
              {task.decidedAt ? ` · ${formatDateTime(task.decidedAt)}` : ''}
            </span>
          ))}
          {tasks.length > 1 && <Typography.Text type="secondary">{t(`approval.modes.${tasks[0].mode}`, { defaultValue: tasks[0].mode })}</Typography.Text>}
        </Space>
      ),
    };
  });
  // antd greys out the steps after `current`: point it at the open (or last decided) step.
  const open = items.findIndex((item) => item.status === 'process' || item.status === 'error');
  const current = open >= 0 ? open : Math.max(0, items.length - 1);
  return (
    <div style={{ marginBottom: 16 }}>
      <Typography.Text type="secondary">
        {t('timeline.round', { at: formatDateTime(trail.submittedAt) })} · {t(`timeline.requestStatuses.${trail.status}`, { defaultValue: trail.status })}
      </Typography.Text>
      <Steps size="small" style={{ marginTop: 8 }} items={items} current={current} />
    </div>
  );
}

/** A document's approval progress, its history and the comment box; every document page reuses it. */
export function DocumentTimeline({ docType, docId }: { docType: string; docId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const timeline = useTimeline(docType, docId);
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);

  async function send() {
    if (!text.trim()) return;
    setSending(true);
    try {
      await addComment(docType, docId, text.trim());
      setText('');
      await queryClient.invalidateQueries({ queryKey: timelineKey(docType, docId) });
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setSending(false);
    }
  }

  const data = timeline.data;
  // The latest round first: that is the one people look for.
  const rounds = [...(data?.approvals ?? [])].sort((a, b) => b.id - a.id);

  return (
    <>
      <Card title={t('timeline.progress')} style={{ marginTop: 16 }} data-testid="approval-progress">
        {timeline.isPending ? <Skeleton active /> : rounds.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('timeline.noApprovals')} /> : rounds.map((trail) => <ApprovalProgress key={trail.id} trail={trail} />)}
      </Card>
      <Card title={t('timeline.title')} style={{ marginTop: 16 }}>
        {timeline.isError && <Alert type="error" showIcon title={timeline.error.message} />}
        {timeline.isPending ? (
          <Skeleton active />
        ) : (
          <Timeline
            data-testid="document-timeline"
            items={(data?.events ?? []).map((event) => ({
              key: event.id,
              color: event.transition === 'rejected_step' || event.transition === 'reject' ? 'red' : EVENT_COLORS[event.kind],
              content: <EventLine event={event} states={data!.states} />,
            }))}
          />
        )}
        <Input.TextArea
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={2}
          maxLength={2000}
          placeholder={t('timeline.commentPlaceholder')}
          style={{ marginTop: 8 }}
          data-testid="comment-text"
        />
        <div style={{ marginTop: 8, textAlign: 'right' }}>
          <Button type="primary" onClick={send} loading={sending} disabled={!text.trim()} data-testid="comment-submit">
            {t('timeline.addComment')}
          </Button>
        </div>
      </Card>
    </>
  );
}
