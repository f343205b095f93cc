import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createQueryClient } from './api/query-client';
import { App } from './app/App';
import { ErrorBoundary } from './app/ErrorBoundary';
import { SessionGate } from './app/SessionGate';
import { applyStoredTheme } from './app/theme';
import { ToastProvider } from './components/Toasts';
import { onViewAsChange } from './view-as/view-as-store';
import { installFriendlyZodMessages } from '../../shared/zod-messages';
import './styles/base.css';
import './styles/shell.css';
import './styles/controls.css';
import './styles/grid.css';
import './styles/editor.css';
import './styles/indexes.css';
import './styles/jobs.css';
import './styles/data.css';
import './styles/sql.css';
import './styles/io.css';
import './styles/stats.css';

applyStoredTheme();
// Form checks say "must be a JSON object ({ … }), not a list", not zod's "expected record, received array".
installFriendlyZodMessages();

const queryClient = createQueryClient();
// Another subject sees other rows, tables and rights: nothing cached for the last one may show.
onViewAsChange(() => void queryClient.resetQueries());
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ErrorBoundary scope="app">
        <ToastProvider>
          <SessionGate>
            <App />
          </SessionGate>
        </ToastProvider>
      </ErrorBoundary>
    </QueryClientProvider>
  </StrictMode>,
);
