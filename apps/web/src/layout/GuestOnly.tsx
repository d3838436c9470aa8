import { Navigate, Outlet, useSearchParams } from 'react-router';
import { useSession } from '../api/auth';
import { FullPageLoader } from '../components/FullPageLoader';

/** Only a local path is a safe place to return to after signing in. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Login and sign-up pages: a signed-in visitor goes straight to the app. */
export function GuestOnly() {
  const session = useSession();
  const [params] = useSearchParams();
  if (session.isPending) return <FullPageLoader />;
  if (session.data) return <Navigate to={safeNext(params.get('next'))} replace />;
  return <Outlet />;
}
