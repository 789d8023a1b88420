import { DndContext, KeyboardSensor, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { Button, Card, Dropdown, Empty, Space, Spin, Tag, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, SwapOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { formatDate, formatFen } from '../../shared/format';
import { OPPORTUNITIES_KEY, STAGES_KEY, getBoard, listStages, stageLabel, type OpportunityListRow, type Stage } from './opportunities.api';
import { useStageMove } from './useStageMove';
import type { Query } from '../../shared/api';

/**
 * 看板: one column per active open stage (count, amount, weighted amount in the header), cards dragged
 * between columns with @dnd-kit, and the same moves from each card's 移到… menu for keyboard and mouse.
 * 赢单 / 输单 drop zones close the deal (输单 asks the reason).
 */
export function OpportunityBoard({ query, canWrite }: { query: Query; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const board = useQuery({ queryKey: [...OPPORTUNITIES_KEY, 'board', query], queryFn: ({ signal }) => getBoard(query, signal), placeholderData: keepPreviousData });
  const stages = useQuery({ queryKey: STAGES_KEY, queryFn: ({ signal }) => listStages(signal) });
  const { move, modal } = useStageMove();
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }), useSensor(KeyboardSensor));
  const targets = (stages.data ?? []).filter((s) => s.active);
  const won = targets.find((s) => s.kind === 'won');
  const lost = targets.find((s) => s.kind === 'lost');

  if (board.isLoading) return <Spin style={{ display: 'block', margin: '60px auto' }} />;
  if (!board.data) return <Empty />;

  const onDragEnd = (event: DragEndEvent) => {
    const card = event.active.data.current as OpportunityListRow | undefined;
    const stageId = Number(String(event.over?.id ?? '').replace('stage-', ''));
    const target = targets.find((s) => s.id === stageId);
    if (card && target) move(card, target);
  };

  return (
    <DndContext sensors={sensors} onDragEnd={onDragEnd}>
      <div style={{ display: 'flex', gap: 12, overflowX: 'auto', paddingBottom: 8, alignItems: 'flex-start' }} data-testid="opportunity-board">
        {board.data.columns.map((col) => (
          <Column key={col.stage.id} stageId={col.stage.id} testId={`board-column-${col.stage.code}`}>
            <div style={{ marginBottom: 8 }}>
              <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                <Typography.Text strong>{stageLabel(i18n.language, col.stage)}</Typography.Text>
                <Tag>{col.count}</Tag>
              </Space>
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatFen(col.amountFen)} · {t('opportunities.weighted')} {formatFen(col.weightedFen)}
                </Typography.Text>
              </div>
            </div>
            <Space direction="vertical" style={{ width: '100%' }} size={8}>
              {col.cards.map((card) => (
                <OpportunityCard key={card.id} card={card} canWrite={canWrite} targets={targets} onMove={(target) => move(card, target)} />
              ))}
              {col.count > col.cards.length && (
                <Link to={`/opportunities?view=list&stageId=${col.stage.id}&status=open`}>{t('opportunities.moreCards', { n: col.count - col.cards.length })}</Link>
              )}
            </Space>
          </Column>
        ))}
        <div style={{ display: 'flex', flexDirection: 'column', gap: 12, minWidth: 160 }}>
          {won && (
            <Column stageId={won.id} testId="board-drop-won" compact>
              <Space direction="vertical" size={2}>
                <Typography.Text strong style={{ color: '#389e0d' }}>
                  <CheckCircleOutlined /> {stageLabel(i18n.language, won)}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('opportunities.thisMonth', { count: board.data.wonThisMonth.count, amount: formatFen(board.data.wonThisMonth.amountFen) })}
                </Typography.Text>
              </Space>
            </Column>
          )}
          {lost && (
            <Column stageId={lost.id} testId="board-drop-lost" compact>
              <Space direction="vertical" size={2}>
                <Typography.Text strong style={{ color: '#cf1322' }}>
                  <CloseCircleOutlined /> {stageLabel(i18n.language, lost)}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('opportunities.thisMonth', { count: board.data.lostThisMonth.count, amount: formatFen(board.data.lostThisMonth.amountFen) })}
                </Typography.Text>
              </Space>
            </Column>
          )}
        </div>
      </div>
      {modal}
    </DndContext>
  );
}

function Column({ stageId, testId, compact, children }: { stageId: number; testId: string; compact?: boolean; children: React.ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id: `stage-${stageId}` });
  return (
    <div
      ref={setNodeRef}
      data-testid={testId}
      style={{
        flex: compact ? undefined : '1 0 190px',
        minWidth: compact ? 160 : 190,
        maxWidth: compact ? 160 : 280,
        minHeight: compact ? 80 : 300,
        padding: 10,
        borderRadius: 8,
        background: isOver ? '#e6f4ff' : '#f5f5f5',
        border: isOver ? '1px dashed #1677ff' : '1px solid #f0f0f0',
      }}
    >
      {children}
    </div>
  );
}

function OpportunityCard({ card, canWrite, targets, onMove }: { card: OpportunityListRow; canWrite: boolean; targets: Stage[]; onMove: (s: Stage) => void }) {
  const { t, i18n } = useTranslation();
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: card.id, data: card, disabled: !canWrite });
  const style = transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)`, zIndex: 10, opacity: isDragging ? 0.85 : 1 } : undefined;
  return (
    <div ref={setNodeRef} style={style} {...listeners} {...attributes} data-testid={`board-card-${card.id}`}>
      <Card size="small" styles={{ body: { padding: 10 } }} hoverable>
        <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
          {card.customerName}
        </Typography.Text>
        <div>
          <Link to={`/opportunities/${card.id}`} onPointerDown={(e) => e.stopPropagation()}>
            {card.name}
          </Link>
        </div>
        <Space size={4} wrap style={{ marginTop: 4 }}>
          <Typography.Text strong>{formatFen(card.amountFen)}</Typography.Text>
          <Tag color="blue">{card.probability}%</Tag>
        </Space>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginTop: 4 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {card.expectedCloseOn ? formatDate(card.expectedCloseOn) : '—'} · {card.ownerName}
          </Typography.Text>
          {canWrite && (
            <Dropdown
              trigger={['click']}
              menu={{
                items: targets.filter((s) => s.id !== card.stageId).map((s) => ({ key: String(s.id), label: stageLabel(i18n.language, s), danger: s.kind === 'lost' })),
                onClick: ({ key }) => {
                  const target = targets.find((s) => s.id === Number(key));
                  if (target) onMove(target);
                },
              }}
            >
              <Button size="small" type="text" icon={<SwapOutlined />} onPointerDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()} data-testid={`board-card-move-${card.id}`}>
                {t('opportunities.moveTo')}
              </Button>
            </Dropdown>
          )}
        </div>
      </Card>
    </div>
  );
}
