import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../api/auth';
import { FullPageLoader } from '../components/FullPageLoader';
import { FullPageError } from '../components/FullPageError';

/** Renders the app for signed-in users; sends everyone else to the login page (and back after). */
export function RequireAuth() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <FullPageLoader />;
  if (session.isError) return <FullPageError error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.data) {
    const next = location.pathname + location.search;
    const to = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
  return <Outlet />;
}
