import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError, setCsrfToken, setUnauthorizedHandler } from '../shared/api';
import { applyLocale, type Locale } from './i18n';

export type DataScope = 'own' | 'team' | 'department' | 'territory' | 'all' | 'agent';

export interface Me {
  id: number;
  username: string;
  displayName: string;
  locale: Locale;
  department: { id: number; name: string } | null;
  roles: { id: number; code: string; name: string }[];
  permissions: string[];
  dataScopes: string[];
  mustChangePassword: boolean;
}

interface SessionReply {
  user: Me;
  csrfToken: string;
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

interface AuthState {
  /** undefined while the session is being checked, null when nobody is logged in. */
  me: Me | null | undefined;
  can: (permission: string) => boolean;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  changePassword: (input: PasswordChange) => Promise<void>;
  changeLocale: (locale: Locale) => Promise<void>;
  /** Set when the session could not be checked at all (server unreachable). */
  sessionError: Error | null;
  retrySession: () => void;
}

const AuthContext = createContext<AuthState | null>(null);
const ME_KEY = ['auth', 'me'] as const;

async function fetchMe(): Promise<Me | null> {
  try {
    const reply = await api.get<SessionReply>('/auth/me');
    setCsrfToken(reply.csrfToken);
    return reply.user;
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const meQuery = useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Infinity, retry: 1 });
  const me = meQuery.data;

  const forgetSession = useCallback(() => {
    setCsrfToken(null);
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    queryClient.setQueryData(ME_KEY, null);
  }, [queryClient]);

  useEffect(() => setUnauthorizedHandler(forgetSession), [forgetSession]);

  // The user's remembered language wins over whatever the browser showed before login.
  useEffect(() => {
    if (me) void applyLocale(me.locale);
  }, [me]);

  const login = useCallback(
    async (username: string, password: string) => {
      const reply = await api.post<SessionReply>('/auth/login', { username, password });
      setCsrfToken(reply.csrfToken);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      queryClient.setQueryData(ME_KEY, reply.user);
      return reply.user;
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } finally {
      forgetSession();
    }
  }, [forgetSession]);

  const changePassword = useCallback(
    async (input: PasswordChange) => {
      await api.post('/auth/me/password', input);
      // The server clears mustChangePassword (and may rotate the session): read it again.
      const fresh = await fetchMe();
      queryClient.setQueryData(ME_KEY, fresh);
    },
    [queryClient],
  );

  const changeLocale = useCallback(
    async (locale: Locale) => {
      await applyLocale(locale); // at once; the server remembers it for next time
      const current = queryClient.getQueryData<Me | null>(ME_KEY);
      if (!current) return;
      queryClient.setQueryData(ME_KEY, { ...current, locale });
      const reply = await api.patch<{ user: Me }>('/auth/me/preferences', { locale });
      queryClient.setQueryData(ME_KEY, reply.user);
      // Names and messages the server localizes must be fetched again in the new language.
      await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    },
    [queryClient],
  );

  const value = useMemo<AuthState>(() => {
    const permissions = new Set(me?.permissions ?? []);
    return {
      me: meQuery.isPending || meQuery.isError ? (me ?? undefined) : (me ?? null),
      can: (permission) => permissions.has(permission),
      login,
      logout,
      changePassword,
      changeLocale,
      sessionError: me === undefined && meQuery.isError ? meQuery.error : null,
      retrySession: () => void meQuery.refetch(),
    };
  }, [me, meQuery, login, logout, changePassword, changeLocale]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth must be used inside <AuthProvider>');
  return state;
}

/** For pages behind the login: the user is known there. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe used outside an authenticated route');
  return me;
}
