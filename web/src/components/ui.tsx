/** Small shared pieces of the console's pages: loading state, alerts, empty states, tables, the drawer. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, messageOf, permissions } from '../api';

/** The state of one asynchronous load. */
export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change (and on reload); keeps only the latest answer. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const serial = useRef(0);
  useEffect(() => {
    const mine = ++serial.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => mine === serial.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => mine === serial.current && setState({ data: undefined, error, loading: false }),
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { ...state, reload };
}

/** Which actions the user may perform, from the permissions pre-check (undefined while asking). */
export function useAllowed(actions: readonly string[]): Record<string, boolean> | undefined {
  const key = actions.join(',');
  const { data } = useLoad(() => permissions(actions), [key]);
  return data;
}

/** An inline alert; `role="alert"` so screen readers announce it. */
export function Alert({
  kind = 'error',
  children,
}: {
  kind?: 'error' | 'info' | 'ok';
  children: ComponentChildren;
}) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** Shows the error of a call; an access denial says it was the user's permissions. */
export function ErrorAlert({ error }: { error: unknown }) {
  if (error === undefined) return null;
  if (error instanceof ApiError && error.denied) {
    return <Alert>You are not allowed to do this: {error.message}</Alert>;
  }
  return <Alert>{messageOf(error)}</Alert>;
}

/** Loading / error / content of a {@link Loaded}. */
export function Show<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (state.error !== undefined) return <ErrorAlert error={state.error} />;
  if (state.data === undefined)
    return (
      <p class="muted" aria-busy="true">
        Loading…
      </p>
    );
  return <>{children(state.data)}</>;
}

/** An empty state telling a new user what to do next. */
export function Empty({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      <div>{children}</div>
    </div>
  );
}

/** A page's title row. */
export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1>{title}</h1>
      {children !== undefined && <div class="page-actions">{children}</div>}
    </div>
  );
}

/** A card with a heading. */
export function Card({
  title,
  children,
  wide,
}: {
  title: string;
  children: ComponentChildren;
  wide?: boolean;
}) {
  return (
    <section class={wide === true ? 'card card-wide' : 'card'} aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** A button that stays disabled, with the reason next to it, when the user may not perform `action`. */
export function ActionButton(props: {
  allowed: boolean | undefined;
  what: string;
  disabled?: boolean;
  class?: string;
  onClick: () => void;
  children: ComponentChildren;
}) {
  const denied = props.allowed === false;
  return (
    <span class="action">
      <button
        type="button"
        class={props.class}
        onClick={props.onClick}
        disabled={denied || props.disabled === true}
      >
        {props.children}
      </button>
      {denied && <span class="denied">You are not allowed to {props.what}.</span>}
    </span>
  );
}

/** A drawer on the right; Esc or the close button closes it and focus returns to the page. */
export function Drawer({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      previous?.focus();
    };
  }, [onClose]);
  return (
    <aside class="drawer" role="dialog" aria-modal="false" aria-label={title} tabIndex={-1} ref={ref}>
      <div class="drawer-header">
        <h2>{title}</h2>
        <button type="button" onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </div>
      <div class="drawer-body">{children}</div>
    </aside>
  );
}

/** Previous/next over NextToken pages: keeps the tokens of the pages seen so far. */
export function usePager(resetKey: string) {
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [index, setIndex] = useState(0);
  useEffect(() => {
    setTokens([undefined]);
    setIndex(0);
  }, [resetKey]);
  return {
    token: tokens[index],
    page: index + 1,
    next(nextToken: string | undefined) {
      if (nextToken === undefined) return;
      setTokens((list) => [...list.slice(0, index + 1), nextToken]);
      setIndex(index + 1);
    },
    previous() {
      setIndex(Math.max(0, index - 1));
    },
    hasPrevious: index > 0,
  };
}

/** The pager's buttons. */
export function Pager({
  pager,
  nextToken,
  label,
}: {
  pager: ReturnType<typeof usePager>;
  nextToken: string | undefined;
  label: string;
}) {
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={() => pager.previous()} disabled={!pager.hasPrevious}>
        Previous
      </button>
      <span>Page {pager.page}</span>
      <button type="button" onClick={() => pager.next(nextToken)} disabled={nextToken === undefined}>
        Next
      </button>
    </nav>
  );
}

/** A severity label as a coloured badge. */
export function Severity({ label }: { label: string | undefined }) {
  const value = label ?? 'INFORMATIONAL';
  return <span class={`badge sev-${value.toLowerCase()}`}>{value}</span>;
}

/** A status as a badge (PASSED, FAILED, Online, …). */
export function Status({ value }: { value: string | undefined }) {
  const text = value ?? '—';
  return <span class={`badge status-${text.toLowerCase().replace(/[^a-z]+/g, '-')}`}>{text}</span>;
}

/** A date-time in the user's locale. */
export function When({ value }: { value: string | number | undefined }) {
  if (value === undefined) return <span>—</span>;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return <span>{String(value)}</span>;
  return <time dateTime={date.toISOString()}>{date.toLocaleString()}</time>;
}
