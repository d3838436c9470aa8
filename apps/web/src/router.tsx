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
import { MusicVideoWizardPage } from './pages/create/MusicVideoWizardPage';
import { SongStudioPage } from './pages/create/SongStudioPage';
import { EditorPage } from './pages/create/EditorPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PrivacyPage } from './pages/PrivacyPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { SettingsPage } from './pages/SettingsPage';
import { SignupPage } from './pages/SignupPage';
import { UploadPage } from './pages/UploadPage';
import { VerifyEmailPage } from './pages/VerifyEmailPage';

export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      { path: '/privacy', element: <PrivacyPage /> },
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
              { path: '/create/music-video', element: <MusicVideoWizardPage /> },
              { path: '/create/song', element: <SongStudioPage /> },
              { path: '/create/edit', element: <EditorPage /> },
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
