import { defineStore } from './define-store';

/** Two places in the app: the incident list and one incident. The hash keeps the place across reloads. */
export type Route =
  | { name: 'incidents' }
  | { name: 'incident'; id: string; tab: IncidentTab }
  | { name: 'playbooks' }
  | { name: 'playbook'; id: string };
export type IncidentTab = 'run' | 'evidence' | 'cloudtrail' | 'identity' | 'chain' | 'validation' | 'gap' | 'signoff' | 'reports' | 'parameters' | 'activity';

const TABS: readonly IncidentTab[] = ['run', 'evidence', 'cloudtrail', 'identity', 'chain', 'validation', 'gap', 'signoff', 'reports', 'parameters', 'activity'];

export function parseRoute(hash: string): Route {
  const m = /^#\/incidents\/(IR-\d{4}-\d{4,})(?:\/([a-z]+))?$/.exec(hash);
  if (m?.[1]) {
    const tab = (TABS as readonly string[]).includes(m[2] ?? '') ? (m[2] as IncidentTab) : 'run';
    return { name: 'incident', id: m[1], tab };
  }
  if (hash === '#/playbooks') return { name: 'playbooks' };
  const pb = /^#\/playbooks\/([a-z0-9-]+)$/.exec(hash);
  if (pb?.[1]) return { name: 'playbook', id: pb[1] };
  return { name: 'incidents' };
}

const toHash = (r: Route): string => {
  switch (r.name) {
    case 'incidents':
      return '#/';
    case 'incident':
      return `#/incidents/${r.id}${r.tab === 'run' ? '' : `/${r.tab}`}`;
    case 'playbooks':
      return '#/playbooks';
    case 'playbook':
      return `#/playbooks/${r.id}`;
  }
};

interface RouteState {
  route: Route;
  go(route: Route): void;
}

export const useRoute = defineStore<RouteState>((set) => ({
  route: parseRoute(window.location.hash),
  go(route) {
    const hash = toHash(route);
    if (window.location.hash !== hash) history.pushState(null, '', hash);
    set({ route });
  },
}));

window.addEventListener('popstate', () => useRoute.setState({ route: parseRoute(window.location.hash) }));
