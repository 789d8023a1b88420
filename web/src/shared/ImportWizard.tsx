import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Progress, Radio, Result, Space, Statistic, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, downloadFile } from './api';
import { commitImport, type CommitMode, type CommitResult, type ImportBatch, uploadImport } from './imports.api';
import { useUrlState } from './urlState';

/**
 * The import flow of any list: download the template, upload (with progress), read the row errors,
 * commit all-or-nothing or the valid rows only, download the rejected rows. The batch id lives in
 * the URL, so a reload comes back to the same batch.
 */
export function ImportWizard({ kind, invalidate }: { kind: string; invalidate?: readonly unknown[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { params, update } = useUrlState();
  const batchId = Number(params.get('batch')) || null;
  const [progress, setProgress] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [mode, setMode] = useState<CommitMode>('all_or_nothing');
  const [committing, setCommitting] = useState(false);
  const [commitError, setCommitError] = useState<string | null>(null);
  const [result, setResult] = useState<CommitResult | null>(null);

  const batch = useQuery({
    queryKey: ['imports', 'batch', batchId],
    queryFn: ({ signal }) => api.get<ImportBatch>(`/imports/batches/${batchId}`, undefined, signal),
    enabled: batchId !== null,
  });
  const current = batch.data ?? null;
  const errorRows = current ? new Set(current.errors.map((e) => e.row)).size : 0;

  async function download(path: string, name: string) {
    try {
      await downloadFile(path, undefined, name);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  }

  async function commit() {
    if (!current) return;
    setCommitting(true);
    setCommitError(null);
    try {
      const done = await commitImport(current.batchId, mode);
      setResult(done);
      queryClient.setQueryData(['imports', 'batch', current.batchId], done);
      if (invalidate) await queryClient.invalidateQueries({ queryKey: invalidate });
    } catch (error) {
      setCommitError(error instanceof Error ? error.message : String(error));
      await batch.refetch(); // the server may have found new row errors at commit
    } finally {
      setCommitting(false);
    }
  }

  function restart() {
    setResult(null);
    setCommitError(null);
    setUploadError(null);
    setProgress(null);
    update({ batch: null });
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t('import.step1')} size="small">
        <Space wrap>
          <Typography.Text type="secondary">{t('import.templateHint')}</Typography.Text>
          <Button icon={<DownloadOutlined />} onClick={() => download(`/imports/${kind}/template.xlsx`, `${kind}-template.xlsx`)} data-testid="import-template">
            {t('import.downloadTemplate')}
          </Button>
        </Space>
      </Card>

      {!current && (
        <Card title={t('import.step2')} size="small">
          <Upload.Dragger
            accept=".xlsx,.csv"
            multiple={false}
            showUploadList={false}
            data-testid="import-upload"
            customRequest={async ({ file, onProgress, onSuccess, onError }) => {
              setUploadError(null);
              setProgress(0);
              try {
                const uploaded = await uploadImport(kind, file as File, (percent) => {
                  setProgress(percent);
                  onProgress?.({ percent });
                });
                queryClient.setQueryData(['imports', 'batch', uploaded.batchId], uploaded);
                update({ batch: String(uploaded.batchId) });
                onSuccess?.(uploaded);
              } catch (error) {
                setUploadError(error instanceof Error ? error.message : String(error));
                onError?.(error as Error);
              } finally {
                setProgress(null);
              }
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('import.dropHint')}</p>
            <p className="ant-upload-hint">{t('import.formats')}</p>
          </Upload.Dragger>
          {progress !== null && <Progress percent={progress} status="active" data-testid="import-progress" />}
          {uploadError && <Alert type="error" showIcon message={uploadError} style={{ marginTop: 12 }} data-testid="import-upload-error" />}
        </Card>
      )}

      {current && (
        <Card
          title={t('import.step3', { filename: current.filename })}
          size="small"
          extra={
            <Button onClick={restart} data-testid="import-restart">
              {t('import.another')}
            </Button>
          }
        >
          <Space size="large" style={{ marginBottom: 16 }}>
            <Statistic title={t('import.total')} value={current.total} />
            <Statistic title={t('import.valid')} value={current.valid} valueStyle={{ color: '#389e0d' }} />
            <Statistic title={t('import.invalid')} value={errorRows} valueStyle={{ color: errorRows ? '#cf1322' : undefined }} />
            {current.status === 'committed' && <Statistic title={t('import.committed')} value={current.committed} />}
          </Space>

          {current.errors.length > 0 && (
            <Table
              size="small"
              rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
              dataSource={current.errors}
              pagination={{ pageSize: 10, showSizeChanger: false }}
              data-testid="import-errors"
              columns={[
                { title: t('import.row'), dataIndex: 'row', width: 90 },
                { title: t('import.column'), dataIndex: 'column', width: 140 },
                { title: t('import.problem'), dataIndex: 'message' },
              ]}
            />
          )}
          {current.errors.length > 0 && (
            <Button
              icon={<DownloadOutlined />}
              onClick={() => download(`/imports/batches/${current.batchId}/errors.xlsx`, `errors-${current.batchId}.xlsx`)}
              data-testid="import-error-file"
              style={{ marginTop: 8 }}
            >
              {t('import.downloadErrors')}
            </Button>
          )}

          {current.status === 'validated' && (
            <Space direction="vertical" style={{ marginTop: 16, width: '100%' }}>
              <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} data-testid="import-mode">
                <Space direction="vertical">
                  <Radio value="all_or_nothing">{t('import.allOrNothing')}</Radio>
                  <Radio value="valid_only">{t('import.validOnly', { count: current.valid })}</Radio>
                </Space>
              </Radio.Group>
              {commitError && <Alert type="error" showIcon message={commitError} data-testid="import-commit-error" />}
              <Button
                type="primary"
                loading={committing}
                disabled={current.valid === 0 || (mode === 'all_or_nothing' && errorRows > 0)}
                onClick={commit}
                data-testid="import-commit"
              >
                {committing ? t('import.committing') : t('import.commit')}
              </Button>
            </Space>
          )}
        </Card>
      )}

      {result && (
        <Card size="small">
          <Result status="success" title={t('import.done', { count: result.result.committed })} />
          {(result.result.handOver?.length ?? 0) > 0 && (
            <>
              <Alert type="warning" showIcon message={t('import.handOverOnce')} style={{ marginBottom: 12 }} />
              <Table
                size="small"
                rowKey="row"
                dataSource={result.result.handOver}
                pagination={{ pageSize: 20, showSizeChanger: false }}
                data-testid="import-hand-over"
                columns={[
                  { title: t('import.row'), dataIndex: 'row', width: 90 },
                  { title: t('import.account'), dataIndex: 'label' },
                  { title: t('import.secret'), dataIndex: 'secret', render: (s: string) => <Typography.Text copyable code>{s}</Typography.Text> },
                ]}
              />
            </>
          )}
        </Card>
      )}
    </Space>
  );
}
