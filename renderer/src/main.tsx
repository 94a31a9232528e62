import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { connect, setBridge } from './api/client';
import './styles.css';

const transport = connect();
if (transport.kind !== 'missing-token') setBridge(transport.bridge);

// The first number a page formats loads the locale's data (10-20 ms); done while the app is idle, not on the first
// click that shows a count (the Cloud logs tab paid it between its first page's answer and its rows).
requestIdleCallback(() => (0).toLocaleString());

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App transport={transport.kind} />
    </StrictMode>,
  );
}
