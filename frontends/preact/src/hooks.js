// The app's hooks over the shared client and router: route, session, loaded data, unread count.
import { useCallback, useEffect, useState } from 'preact/hooks';
import * as api from '@shopfn/shared/api.js';
import { errorText } from '@shopfn/shared/format.js';
import { createRouter } from '@shopfn/shared/router.js';

export const router = createRouter(import.meta.env.BASE_URL);
export const href = router.href;

export function useRoute() {
  const [route, setRoute] = useState(router.current);
  useEffect(() => router.subscribe(setRoute), []);
  return route;
}

export function useUser() {
  const [user, setUser] = useState(api.currentUser);
  useEffect(() => api.onSessionChange(setUser), []);
  return user;
}

/** Something loaded from the API: {data, loading, error, reload, setData}. */
export function useLoader(load, deps = [], { now = true } = {}) {
  const [state, setState] = useState({ data: null, loading: now, error: '' });
  const reload = useCallback(async () => {
    setState((s) => ({ ...s, loading: true, error: '' }));
    try {
      const data = await load();
      setState({ data, loading: false, error: '' });
    } catch (e) {
      setState((s) => ({ ...s, loading: false, error: errorText(e) }));
    }
  }, deps);
  useEffect(() => {
    if (now) reload();
  }, [reload]);
  const setData = (data) => setState((s) => ({ ...s, data }));
  const setError = (error) => setState((s) => ({ ...s, error }));
  return { ...state, reload, setData, setError };
}

/** The unread notifications of `user`, polled; `refresh` asks again now. */
export function useUnread(user) {
  const [unread, setUnread] = useState(0);
  const refresh = useCallback(async () => {
    if (!user) return setUnread(0);
    try {
      setUnread((await api.notifications.list(user.id, { limit: 1 })).unread);
    } catch {
      /* a hint only: the notifications page shows errors */
    }
  }, [user?.id]);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 5000);
    return () => clearInterval(timer);
  }, [refresh]);
  return [unread, refresh];
}
