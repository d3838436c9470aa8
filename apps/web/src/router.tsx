import { createBrowserRouter } from 'react-router';
import { AppLayout } from './layout/AppLayout';
import { AuthLayout } from './layout/AuthLayout';
import { GuestOnly } from './layout/GuestOnly';
import { RequireAuth } from './layout/RequireAuth';
import { RouteError } from './layout/RouteError';
import { ConfirmEmailChangePage } from './pages/ConfirmEmailChangePage';
import { DevelopersPage } from './pages/DevelopersPage';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { HomePage } from './pages/HomePage';
import { JobDetailPage } from './pages/JobDetailPage';
import { JobsPage } from './pages/JobsPage';
import { LibraryPage } from './pages/LibraryPage';
import { LoginPage } from './pages/LoginPage';
import { MailboxPage } from './pages/MailboxPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { SettingsPage } from './pages/SettingsPage';
import { SignupPage } from './pages/SignupPage';
import { UploadPage } from './pages/UploadPage';
import { VerifyEmailPage } from './pages/VerifyEmailPage';

export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      {
        element: <AuthLayout />,
        children: [
          {
            element: <GuestOnly />,
            children: [
              { path: '/login', element: <LoginPage /> },
              { path: '/signup', element: <SignupPage /> },
              { path: '/forgot-password', element: <ForgotPasswordPage /> },
            ],
          },
          { path: '/reset-password', element: <ResetPasswordPage /> },
          { path: '/verify-email', element: <VerifyEmailPage /> },
          { path: '/confirm-email-change', element: <ConfirmEmailChangePage /> },
        ],
      },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { path: '/', element: <HomePage /> },
              { path: '/upload', element: <UploadPage /> },
              { path: '/library', element: <LibraryPage /> },
              { path: '/jobs', element: <JobsPage /> },
              { path: '/jobs/:jobId', element: <JobDetailPage /> },
              { path: '/settings', element: <SettingsPage /> },
              { path: '/developers', element: <DevelopersPage /> },
              { path: '/mailbox', element: <MailboxPage /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]);
