// The app's reactive state: route, session and unread count, fed by the shared client and router.
import * as api from '@shopfn/shared/api.js';
import { errorText } from '@shopfn/shared/format.js';
import { createRouter } from '@shopfn/shared/router.js';

export const router = createRouter(import.meta.env.BASE_URL);
export const href = router.href;
export const app = $state({ route: router.current(), user: api.currentUser(), unread: 0 });

export async function refreshUnread() {
  if (!app.user) return (app.unread = 0);
  try {
    app.unread = (await api.notifications.list(app.user.id, { limit: 1 })).unread;
  } catch {
    /* a hint only: the notifications page shows errors */
  }
}

router.subscribe((route) => (app.route = route));
api.onSessionChange((user) => {
  app.user = user;
  refreshUnread();
});
refreshUnread();
setInterval(refreshUnread, 5000);

/** Something loaded from the API, with its loading and error states. */
export class Loader {
  loading = $state(true);
  error = $state('');
  data = $state(null);

  constructor(load, { now = true } = {}) {
    this.load = load;
    if (now) this.reload();
    else this.loading = false;
  }

  reload = async () => {
    this.loading = true;
    this.error = '';
    try {
      this.data = await this.load();
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.loading = false;
    }
  };
}
