/** The signed-in layout: header (user, Region, sign-out), side nav from the route list, the routed page. */
import { useEffect, useState } from 'preact/hooks';
import { Link, Route, Router, Switch, useLocation } from 'wouter-preact';
import { chooseRegion, messageOf, signOut, type Session } from './api';
import { routes } from './routes';

function NavLinks({ onNavigate }: { onNavigate: () => void }) {
  const [location] = useLocation();
  return (
    <ul>
      {routes
        .filter((route) => route.nav)
        .map((route) => {
          const current =
            route.path === '/'
              ? location === '/'
              : location === route.path || location.startsWith(`${route.path}/`);
          return (
            <li key={route.path}>
              <Link href={route.path} aria-current={current ? 'page' : undefined} onClick={onNavigate}>
                {route.title}
              </Link>
            </li>
          );
        })}
    </ul>
  );
}

/** Regions offered in the header (the session's own comes first); a call names its Region in X-Bulwark-Region. */
const regions = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'eu-north-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ap-south-1',
  'sa-east-1',
];

/** Keeps the document title on the current page's (the route whose path matches, else the console's). */
function TitleOf() {
  const [location] = useLocation();
  useEffect(() => {
    const route = routes.find((r) => matchRoute(r.path, location));
    document.title = `${route?.title ?? 'Bulwark'} · Bulwark console`;
  }, [location]);
  return null;
}

/** Whether `location` matches a route path (`:name` segments match any one segment). */
function matchRoute(path: string, location: string): boolean {
  const want = path.split('/');
  const have = location.split('/');
  return want.length === have.length && want.every((part, i) => part.startsWith(':') || part === have[i]);
}

/** The console shell around every page. */
export function Shell({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [region, setRegion] = useState(session.region);
  const changeRegion = (name: string) => {
    chooseRegion(name === session.region ? undefined : name);
    setRegion(name);
  };
  const doSignOut = () => {
    signOut().then(onSignedOut, (reason: unknown) => setError(messageOf(reason)));
  };
  return (
    <Router base="/console">
      <TitleOf />
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button
          type="button"
          class="menu-button"
          aria-expanded={menuOpen}
          aria-controls="sidenav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <span class="brand">Bulwark</span>
        <span class="spacer" />
        <span class="who" title={session.principalArn}>
          <span class="user">{session.userName}</span>
          <span class="muted"> · {session.accountId}</span>
        </span>
        <label class="region">
          <span class="sr-only">Region</span>
          <select
            name="region"
            value={region}
            onChange={(e) => changeRegion((e.target as HTMLSelectElement).value)}
          >
            {[session.region, ...regions.filter((r) => r !== session.region)].map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={doSignOut}>
          Sign out
        </button>
      </header>
      {error !== undefined && (
        <div class="alert alert-error" role="alert">
          {error}
        </div>
      )}
      <div class="layout">
        <nav id="sidenav" class={menuOpen ? 'sidenav open' : 'sidenav'} aria-label="Console">
          <NavLinks onNavigate={() => setMenuOpen(false)} />
        </nav>
        <main id="main" class="content" tabIndex={-1}>
          <Switch key={region}>
            {routes.map((route) => (
              <Route key={route.path} path={route.path}>
                {(params: Record<string, string | undefined>) => <route.page params={params} />}
              </Route>
            ))}
            <Route>
              <p>This page does not exist.</p>
              <Link href="/">Back to the overview</Link>
            </Route>
          </Switch>
        </main>
      </div>
    </Router>
  );
}
