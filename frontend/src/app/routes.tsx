import { Navigate, type RouteObject } from 'react-router';
import { AccountPage } from '../features/account/components/account-page';
import { AdminLayout } from '../features/admin/components/admin-layout';
import { AuditPage } from '../features/admin/components/audit-page';
import { ServiceClientsPage } from '../features/admin/components/service-clients-page';
import { SuppressionsPage } from '../features/admin/components/suppressions-page';
import { UsersPage } from '../features/admin/components/users-page';
import { ConfirmPage } from '../features/auth/components/confirm-page';
import { ForgotPasswordPage } from '../features/auth/components/forgot-password-page';
import { ResetPasswordPage } from '../features/auth/components/reset-password-page';
import { SignInPage } from '../features/auth/components/sign-in-page';
import { SignUpPage } from '../features/auth/components/sign-up-page';
import { PasskeysSection } from '../features/auth/passkeys/passkeys-section';
import { LinkPage } from '../features/auth/providers/link-page';
import { LinkedAccountsSection } from '../features/auth/providers/linked-accounts-section';
import { SecondStepPage } from '../features/auth/providers/second-step-page';
import { AvatarSection } from '../features/files/components/avatar-section';
import { FilesPage } from '../features/files/components/files-page';
import { EditItemPage, NewItemPage } from '../features/items/components/item-form-page';
import { ItemsPage } from '../features/items/components/items-page';
import { NotificationPreferencesSection } from '../features/notifications/components/notification-preferences-section';
import { AcceptInvitationPage } from '../features/tasks/components/accept-invitation-page';
import { BoardPage } from '../features/tasks/components/board-page';
import { BoardSettingsPage } from '../features/tasks/components/board-settings-page';
import { BoardsPage } from '../features/tasks/components/boards-page';
import { ImportBoardPage } from '../features/tasks/components/import-board-page';
import { MyTasksPage } from '../features/tasks/components/my-tasks-page';
import { TaskDialog } from '../features/tasks/components/task-dialog';
import { AppShell } from './app-shell';
import { NotFoundPage } from './not-found-page';
import { RequireNoSession, RequireSession } from './require-session';
import { RouteError } from './route-error';

const signedIn = (element: React.ReactNode) => <RequireSession>{element}</RequireSession>;
const signedOut = (element: React.ReactNode) => <RequireNoSession>{element}</RequireNoSession>;
const adminOnly = (element: React.ReactNode) => (
  <RequireSession roles={['admin']}>{element}</RequireSession>
);

/** Every page, as data: the browser router uses it, and tests mount it in a memory router. */
export const routes: RouteObject[] = [
  {
    element: <AppShell />,
    errorElement: <RouteError />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          { index: true, element: <Navigate to="/items" replace /> },
          { path: 'sign-in', element: signedOut(<SignInPage />) },
          { path: 'sign-in/second-step', element: signedOut(<SecondStepPage />) },
          { path: 'sign-in/link', element: signedOut(<LinkPage />) },
          { path: 'sign-up', element: signedOut(<SignUpPage />) },
          { path: 'confirm', element: <ConfirmPage /> },
          { path: 'forgot-password', element: <ForgotPasswordPage /> },
          { path: 'reset-password', element: <ResetPasswordPage /> },
          { path: 'items', element: signedIn(<ItemsPage />) },
          { path: 'items/new', element: signedIn(<NewItemPage />) },
          { path: 'items/:id/edit', element: signedIn(<EditItemPage />) },
          { path: 'files', element: signedIn(<FilesPage />) },
          { path: 'boards', element: signedIn(<BoardsPage />) },
          {
            path: 'boards/:key',
            element: signedIn(<BoardPage />),
            children: [{ path: 'tasks/:number', element: <TaskDialog /> }],
          },
          { path: 'my-tasks', element: signedIn(<MyTasksPage />) },
          {
            path: 'account',
            element: signedIn(
              <AccountPage
                avatar={<AvatarSection />}
                notifications={<NotificationPreferencesSection />}
                linkedAccounts={<LinkedAccountsSection />}
                passkeys={<PasskeysSection />}
              />,
            ),
          },
          { path: 'boards/import', element: signedIn(<ImportBoardPage />) },
          { path: 'boards/:key/settings', element: signedIn(<BoardSettingsPage />) },
          // Not guarded: signed-out visitors are told how to come back signed in.
          { path: 'invitations/accept', element: <AcceptInvitationPage /> },
          {
            path: 'admin',
            element: adminOnly(<AdminLayout />),
            children: [
              { index: true, element: <Navigate to="/admin/users" replace /> },
              { path: 'users', element: <UsersPage /> },
              { path: 'audit', element: <AuditPage /> },
              { path: 'mail-suppressions', element: <SuppressionsPage /> },
              { path: 'service-clients', element: <ServiceClientsPage /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
