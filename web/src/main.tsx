/** The console's entry: the session decides between the sign-in page and the shell with the routed pages. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentSession, messageOf, onSignedOut, rememberSession, type Session } from './api';
import { Shell } from './shell';
import { SignInPage } from './pages/sign-in';
import './styles.css';

function App() {
  const [session, setSession] = useState<Session | undefined | null>(null);
  const [error, setError] = useState<string | undefined>();
  const accept = (next: Session | undefined) => {
    rememberSession(next);
    setSession(next);
  };
  useEffect(() => {
    onSignedOut(() => accept(undefined));
    currentSession().then(accept, (reason: unknown) => setError(messageOf(reason)));
  }, []);
  if (error !== undefined) {
    return (
      <main class="signin" id="main">
        <div class="alert alert-error" role="alert">
          The console could not reach the server: {error}
        </div>
      </main>
    );
  }
  if (session === null) return <p class="muted boot">Loading…</p>;
  if (session === undefined) return <SignInPage onSignedIn={accept} />;
  return <Shell session={session} onSignedOut={() => accept(undefined)} />;
}

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
