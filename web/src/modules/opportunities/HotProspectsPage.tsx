import { Empty } from 'antd';
import { PageTitle } from '../../shared/PageTitle';

/** Placeholder until the page is built (issue 5). */
export default function HotProspectsPage() {
  return (
    <>
      <PageTitle title="HotProspectsPage" />
      <Empty />
    </>
  );
}
