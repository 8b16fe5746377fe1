// The page: header, status banner, the current view, toasts.
import { useEffect } from 'preact/hooks';
import { Header, StatusBanner } from './components/Header';
import { Login } from './components/Login';
import { Toasts } from './components/Toasts';
import { useRoute } from './route';
import { boot, store, unreadCount } from './state';
import { useStore } from './store';
import { ApprovalsView } from './views/ApprovalsView';
import { AuditView } from './views/AuditView';
import { ChatView } from './views/ChatView';
import { MemoryView } from './views/MemoryView';
import { NotificationsView } from './views/NotificationsView';
import { SettingsView } from './views/SettingsView';
import { TasksView } from './views/TasksView';

export function App() {
  const route = useRoute();
  const auth = useStore(store, (s) => s.auth);
  const unread = useStore(store, unreadCount);

  useEffect(() => boot(), []);
  useEffect(() => {
    // Toasts point at the Notifications view; once it is open they have done their job.
    store.set(route.view === 'notifications' ? { view: route.view, toasts: [] } : { view: route.view });
  }, [route.view]);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Paprika` : 'Paprika';
  }, [unread]);

  if (auth === 'required') return <Login />;

  return (
    <div class={`app view-${route.view}`}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header current={route.view} />
      <div class="main-col">
        <StatusBanner />
        <main id="main" class="main" tabIndex={-1}>
          {route.view === 'chat' && <ChatView />}
          {route.view === 'notifications' && <NotificationsView />}
          {route.view === 'tasks' && <TasksView focus={route.param} />}
          {route.view === 'approvals' && <ApprovalsView />}
          {route.view === 'audit' && <AuditView focus={route.param} />}
          {route.view === 'memory' && <MemoryView />}
          {route.view === 'settings' && <SettingsView />}
        </main>
      </div>
      <Toasts />
    </div>
  );
}
