// Hash routing (#/tasks/<id>): the API serves one index.html, so nothing on the server has to know views.
import { useEffect, useState } from 'preact/hooks';

const VIEWS = ['chat', 'notifications', 'tasks', 'approvals', 'audit', 'memory', 'settings'] as const;
export type View = (typeof VIEWS)[number];

interface Route {
  view: View;
  /** e.g. the task to highlight. */
  param?: string;
}

function parseRoute(hash: string): Route {
  const [view, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const v = (VIEWS as readonly string[]).includes(view ?? '') ? (view as View) : 'chat';
  const param = rest.length ? decodeURIComponent(rest.join('/')) : undefined;
  return param ? { view: v, param } : { view: v };
}

export const href = (view: View, param?: string) => `#/${view}${param ? `/${encodeURIComponent(param)}` : ''}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}
