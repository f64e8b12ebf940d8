import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { currentSession, signIn as signInRequest, signOut as signOutRequest, type User } from '../api/auth.ts';
import type { PublishedLayer } from '../api/client.ts';

interface SessionState {
  /** Undefined while nobody is signed in (or before /api/auth/me answered). */
  user: User | undefined;
  /** False until the first /api/auth/me answered: avoids flashing the sign-in button after a reload. */
  checked: boolean;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User>();
  const [checked, setChecked] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    currentSession(controller.signal).then(
      (session) => {
        setUser(session?.user);
        setChecked(true);
      },
      (failure: unknown) => {
        // The console still reads anonymously; the error banner reports an unreachable server.
        if (!controller.signal.aborted) {
          console.warn('session check failed', failure);
          setChecked(true);
        }
      },
    );
    return () => controller.abort();
  }, []);

  const signIn = useCallback(async (username: string, password: string) => {
    const session = await signInRequest(username, password);
    setUser(session.user);
  }, []);
  const signOut = useCallback(async () => {
    try {
      await signOutRequest();
    } finally {
      setUser(undefined);
    }
  }, []);

  const value = useMemo(() => ({ user, checked, signIn, signOut }), [user, checked, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession() needs a <SessionProvider> above it.');
  return state;
}

/** The same rule as the server's mayEdit: admin edits everything, others what the registry lists. */
export function mayEdit(user: User | undefined, layer: Pick<PublishedLayer, 'editableBy'>): boolean {
  return Boolean(user && (user.role === 'admin' || layer.editableBy.includes(user.role)));
}
