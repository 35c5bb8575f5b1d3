import { Link } from 'react-router-dom';
import { usePageTitle } from '../ui/usePageTitle.ts';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>The address may be mistyped, or the page has moved. <Link to="/">Go to the dashboard</Link>.</p>
    </div>
  );
}
