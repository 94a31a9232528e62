import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { connect, setBridge } from './api/client';
import './styles.css';

const transport = connect();
if (transport.kind !== 'missing-token') setBridge(transport.bridge);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App transport={transport.kind} />
    </StrictMode>,
  );
}
