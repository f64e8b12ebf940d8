import { useState, type FormEvent } from 'react';
import { ApiProblem } from '../api/http.ts';
import { useLanguage } from '../i18n/language.tsx';
import type { Messages } from '../i18n/messages.ts';
import { useSession } from './session.tsx';

function signInError(error: unknown, t: Messages): string {
  if (error instanceof ApiProblem) {
    // The server answers 401 for a wrong name and a wrong password alike, and 400 for a
    // malformed body (an empty field): to the user both mean the same thing.
    if (error.status === 401 || error.status === 400) return t.signInWrong;
    if (error.status === 429) return t.signInTooMany;
  }
  return t.signInFailed((error as Error).message);
}

function SignInForm({ onDone }: { onDone: () => void }) {
  const { t } = useLanguage();
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      await signIn(username.trim(), password);
      onDone();
    } catch (failure) {
      setError(signInError(failure, t));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="sign-in-form" onSubmit={(event) => void submit(event)} aria-label={t.signInTitle}>
      <label>
        {t.username}
        <input name="username" autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} required autoFocus />
      </label>
      <label>
        {t.password}
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
      </label>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending}>
          {pending ? t.signingIn : t.signIn}
        </button>
        <button type="button" onClick={onDone}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

/** The header's sign-in button, or who is signed in with a sign-out button. */
export function SessionControl() {
  const { t } = useLanguage();
  const { user, checked, signOut } = useSession();
  const [open, setOpen] = useState(false);
  if (!checked) return null;
  if (user) {
    return (
      <div className="session-user" data-role={user.role}>
        <span className="session-name">{t.signedInAs(user.username, t.roleNames[user.role] ?? user.role)}</span>
        <button type="button" data-action="sign-out" onClick={() => void signOut()}>
          {t.signOut}
        </button>
      </div>
    );
  }
  return (
    <div className="session-control">
      <button type="button" data-action="sign-in" aria-expanded={open} onClick={() => setOpen((value) => !value)}>
        {t.signIn}
      </button>
      {open ? <SignInForm onDone={() => setOpen(false)} /> : null}
    </div>
  );
}
