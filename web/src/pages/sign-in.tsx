/** Sign-in: name and password, the account id when the server asks for it, then a TOTP code when enrolled. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, messageOf, signIn, type Session, type SignInInput } from '../api';

type Step = 'password' | 'totp';

function refusalText(error: unknown): string {
  if (!(error instanceof ApiError)) return messageOf(error);
  const reason = error.body['reason'];
  if (reason === 'locked') {
    const seconds = Number(error.body['retryAfterSeconds'] ?? 0);
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    return `Too many failed sign-ins: sign-in is locked. Try again in about ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  }
  if (reason === 'wrong-credentials') return 'The user name or password is wrong.';
  if (reason === 'totp-wrong')
    return 'The authentication code is wrong or was already used. Enter a new code.';
  if (reason === 'account-required') return 'This server holds several accounts: enter your account id.';
  if (error.type === 'InvalidOrigin') return 'The request came from another origin and was refused.';
  return error.message;
}

/** The sign-in page. */
export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [step, setStep] = useState<Step>('password');
  const [askAccount, setAskAccount] = useState(false);
  const [form, setForm] = useState({ accountId: '', userName: '', password: '', totpCode: '' });
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    document.title = 'Sign in · Bulwark console';
  }, []);
  useEffect(() => {
    if (step === 'totp') totpRef.current?.focus();
  }, [step]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const input: SignInInput = { userName: form.userName.trim(), password: form.password };
    if (form.accountId.trim() !== '') input.accountId = form.accountId.trim();
    if (step === 'totp') input.totpCode = form.totpCode.trim();
    try {
      onSignedIn(await signIn(input));
    } catch (reason) {
      const refusal = reason instanceof ApiError ? reason.body['reason'] : undefined;
      if (refusal === 'totp-required') {
        setStep('totp');
      } else if (refusal === 'account-required') {
        setAskAccount(true);
        setError(refusalText(reason));
      } else {
        if (refusal === 'totp-wrong') setForm((f) => ({ ...f, totpCode: '' }));
        setError(refusalText(reason));
      }
    } finally {
      setBusy(false);
    }
  };
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onInput: (event: Event) => setForm({ ...form, [name]: (event.target as HTMLInputElement).value }),
  });

  return (
    <main class="signin" id="main">
      <form class="signin-card" onSubmit={(event) => void submit(event)} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Bulwark</h1>
        {error !== undefined && (
          <div class="alert alert-error" role="alert">
            {error}
          </div>
        )}
        {step === 'password' ? (
          <>
            {askAccount && (
              <label>
                Account id
                <input
                  name="accountId"
                  inputMode="numeric"
                  autoComplete="off"
                  required
                  {...field('accountId')}
                />
              </label>
            )}
            <label>
              User name
              <input name="userName" autoComplete="username" required {...field('userName')} />
            </label>
            <label>
              Password
              <input
                name="password"
                type="password"
                autoComplete="current-password"
                required
                {...field('password')}
              />
            </label>
          </>
        ) : (
          <>
            <p>Enter the 6-digit code from your authenticator app.</p>
            <label>
              Authentication code
              <input
                ref={totpRef}
                name="totpCode"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                required
                {...field('totpCode')}
              />
            </label>
          </>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {step === 'totp' ? 'Verify' : 'Sign in'}
        </button>
        {step === 'totp' && (
          <button type="button" class="link" onClick={() => setStep('password')}>
            Back
          </button>
        )}
      </form>
    </main>
  );
}
