import { create, type StateCreator } from 'zustand';

/** How a panel's data stands. Every panel root shows it as `data-state`, and the tests wait on it. */
export type PanelStatus = 'loading' | 'ready' | 'busy' | 'error';

/**
 * A zustand store whose hook takes a selector, always: `useRun((s) => s.run)`. A component then re-renders only for
 * what it reads and says what it depends on; reading the whole store (`useRun()`) does not compile.
 */
export function defineStore<S>(init: StateCreator<S>) {
  const store = create<S>()(init);
  const useStore = <T>(selector: (state: S) => T): T => store(selector);
  return Object.assign(useStore, { getState: store.getState, setState: store.setState, subscribe: store.subscribe });
}
