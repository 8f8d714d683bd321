// The app's signals over the shared client and router: route, session, unread count, loaders.
import { createResource, createSignal, onCleanup } from 'solid-js';
import * as api from '@shopfn/shared/api.js';
import { errorText } from '@shopfn/shared/format.js';
import { createRouter } from '@shopfn/shared/router.js';

export const router = createRouter(import.meta.env.BASE_URL);
export const href = router.href;

export const [route, setRoute] = createSignal(router.current());
router.subscribe(setRoute);

export const [user, setUser] = createSignal(api.currentUser());
export const [unread, setUnread] = createSignal(0);

export async function refreshUnread() {
  if (!user()) return setUnread(0);
  try {
    setUnread((await api.notifications.list(user().id, { limit: 1 })).unread);
  } catch {
    /* a hint only: the notifications page shows errors */
  }
}
api.onSessionChange((u) => {
  setUser(u);
  refreshUnread();
});
refreshUnread();
setInterval(refreshUnread, 5000);

/**
 * createResource for pages: [data, {refetch, mutate}, errorMessage]. `data()` is the latest value,
 * or undefined after an error (reading an errored resource throws, for an ErrorBoundary; the
 * pages show the message instead); `data.loading` tells a fetch is under way.
 */
export function loader(source, fetcher) {
  const [resource, actions] = fetcher ? createResource(source, fetcher) : createResource(source);
  const data = () => (resource.error ? undefined : resource.latest);
  Object.defineProperty(data, 'loading', { get: () => resource.loading });
  const message = () => (resource.error ? errorText(resource.error) : '');
  return [data, actions, message];
}

/** Run `fn` every `ms` while the calling component lives. */
export function every(ms, fn) {
  const timer = setInterval(fn, ms);
  onCleanup(() => clearInterval(timer));
}
