// A minimal observable store: the app's shared state lives in one object, views subscribe with
// useStore(selector) and re-render only when what they selected changes (shallow compare).
import { useEffect, useState } from 'preact/hooks';

interface Store<S> {
  get(): S;
  set(patch: Partial<S> | ((s: S) => Partial<S>)): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<S extends object>(initial: S): Store<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(patch) {
      const p = typeof patch === 'function' ? patch(state) : patch;
      state = { ...state, ...p };
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useStore<S extends object, T>(store: Store<S>, select: (s: S) => T): T {
  const [, force] = useState(0);
  const value = select(store.get());
  useEffect(() => {
    // Compare with what was rendered, not with the state now: a change between the render and
    // this effect (e.g. an error set right after the component appeared) must not be lost.
    let last = value;
    const check = () => {
      const next = select(store.get());
      if (!shallowEqual(last, next)) {
        last = next;
        force((n) => n + 1);
      }
    };
    const unsubscribe = store.subscribe(check);
    check();
    return unsubscribe;
    // Selectors are pure functions of the state, so subscribing once per store is enough.
  }, [store]);
  return value;
}

function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
