// Shown when the API answers 401. The API token or the login link (`npm start` prints one) is
// traded for a session cookie the page cannot read, so neither secret is kept by the page.
import { useState } from 'preact/hooks';
import { logIn, store } from '../state';
import { useStore } from '../store';
import { useBusy } from './common';
import { Logo } from './Header';

export function Login() {
  const [secret, setSecret] = useState('');
  const [busy, error, run] = useBusy();
  const linkError = useStore(store, (s) => s.authError);
  const shown = error ?? linkError;
  return (
    <main class="login" id="main">
      <form
        class="card login-card"
        onSubmit={(e) => {
          e.preventDefault();
          if (secret.trim()) void run(() => logIn(secret));
        }}
        data-testid="login-form"
      >
        <Logo />
        <h1>Sign in to Paprika</h1>
        <p class="muted">
          Open the login link <code>npm start</code> printed, or paste it or the API token (in <code>.data/api-token</code>, or
          PAPRIKA_API_TOKEN) here.
        </p>
        <div class="field">
          <label for="token">API token or login link</label>
          <input id="token" type="password" autoComplete="current-password" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} data-testid="token-input" />
        </div>
        {shown && (
          <p class="error" role="alert" data-testid="login-error">
            {shown}
          </p>
        )}
        <button type="submit" class="btn btn-primary" disabled={busy || !secret.trim()} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
