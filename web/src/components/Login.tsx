// Shown when the API wants its token (PAPRIKA_API_TOKEN). The token is exchanged for an HttpOnly
// cookie, so the page never stores it and EventSource gets authenticated too.
import { useState } from 'preact/hooks';
import { loginWithToken } from '../state';
import { useBusy } from './common';
import { Logo } from './Header';

export function Login() {
  const [token, setToken] = useState('');
  const [busy, error, run] = useBusy();
  return (
    <main class="login" id="main">
      <form
        class="card login-card"
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) void run(() => loginWithToken(token.trim()));
        }}
        data-testid="login-form"
      >
        <Logo />
        <h1>Sign in to Paprika</h1>
        <p class="muted">This Paprika is protected by an API token (PAPRIKA_API_TOKEN).</p>
        <div class="field">
          <label for="token">API token</label>
          <input id="token" type="password" autoComplete="current-password" value={token} onInput={(e) => setToken(e.currentTarget.value)} data-testid="token-input" />
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="btn btn-primary" disabled={busy || !token.trim()} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
