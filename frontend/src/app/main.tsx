import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { activateLocale, visitorLocale } from '../lib/i18n';
import { AppProviders } from './providers';
import { createQueryClient } from './query-client';
import { routes } from './routes';
import './styles/base.css';
import './styles/layout.css';
import './styles/forms.css';
import './styles/feedback.css';
import './styles/table.css';
import './styles/admin.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The visitor's language first (one small chunk); a signed-in profile may switch it later.
await activateLocale(visitorLocale());

createRoot(root).render(
  <StrictMode>
    <AppProviders queryClient={createQueryClient()}>
      <RouterProvider router={createBrowserRouter(routes)} />
    </AppProviders>
  </StrictMode>,
);
