import { Empty } from 'antd';

/** Customer 360° tab (issue 6): placeholder until the module fills it. */
export function CustomerReceiptsPanel({ customerId: _customerId }: { customerId: number }) {
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
}
