import { useState } from 'react';
import { App, Button, Card, List, Popconfirm, Progress, Typography, Upload } from 'antd';
import { DeleteOutlined, DownloadOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { api, downloadFile } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { uploadFile } from '../../shared/upload';
import { timelineKey } from './documents.api';

export interface Attachment {
  id: number;
  filename: string;
  contentType: string;
  sizeBytes: number;
  uploadedBy: number;
  uploadedByName: string;
  uploadedAt: string;
}

const ACCEPT = '.pdf,.ofd,.jpg,.jpeg,.png,.gif,.webp,.bmp,.tif,.tiff,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.csv,.txt,.zip,.rar,.7z';

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Files attached to any document: list, upload with progress, download, remove (uploader only); readOnly for who may only look. */
export function AttachmentsPanel({ docType, docId, readOnly = false }: { docType: string; docId: number; readOnly?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const key = ['attachments', docType, docId];
  const list = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<{ items: Attachment[] }>(`/documents/${docType}/${docId}/attachments`, undefined, signal).then((r) => r.items),
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: key });
    void queryClient.invalidateQueries({ queryKey: timelineKey(docType, docId) });
  };

  async function upload(file: File) {
    setProgress(0);
    try {
      await uploadFile<Attachment>(`/api/documents/${docType}/${docId}/attachments`, file, setProgress);
      message.success(t('attachments.uploaded', { name: file.name }));
      refresh();
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setProgress(null);
    }
  }

  async function remove(item: Attachment) {
    try {
      await api.delete(`/attachments/${item.id}`);
      refresh();
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <Card
      title={<><PaperClipOutlined /> {t('attachments.title')}</>}
      extra={
        !readOnly && (
          <Upload
            accept={ACCEPT}
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={progress !== null} data-testid="attachment-upload">
              {t('attachments.upload')}
            </Button>
          </Upload>
        )
      }
      data-testid="attachments"
    >
      {progress !== null && <Progress percent={progress} size="small" style={{ marginBottom: 12 }} />}
      <List<Attachment>
        loading={list.isLoading}
        dataSource={list.data ?? []}
        locale={{ emptyText: t('attachments.empty') }}
        renderItem={(item) => (
          <List.Item
            actions={[
              <Button
                key="download"
                type="link"
                size="small"
                icon={<DownloadOutlined />}
                onClick={() => void downloadFile(`/attachments/${item.id}/download`, undefined, item.filename)}
                data-testid={`attachment-download-${item.id}`}
              >
                {t('attachments.download')}
              </Button>,
              ...(!readOnly && item.uploadedBy === me?.id
                ? [
                    <Popconfirm key="remove" title={t('attachments.removeConfirm', { name: item.filename })} onConfirm={() => void remove(item)}>
                      <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                        {t('attachments.remove')}
                      </Button>
                    </Popconfirm>,
                  ]
                : []),
            ]}
          >
            <List.Item.Meta
              title={<Typography.Text>{item.filename}</Typography.Text>}
              description={t('attachments.meta', { size: formatSize(item.sizeBytes), who: item.uploadedByName, when: formatDateTime(item.uploadedAt) })}
            />
          </List.Item>
        )}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('attachments.hint')}
      </Typography.Text>
    </Card>
  );
}
