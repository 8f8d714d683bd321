import { For, Show } from 'solid-js';
import * as api from '@shopfn/shared/api.js';
import { dateTime } from '@shopfn/shared/format.js';
import { every, loader, refreshUnread, user } from '../app.js';
import { Status } from '../components.jsx';

export function Notifications() {
  const userId = user().id;
  const [feed, { refetch }, error] = loader(() => api.notifications.list(userId));
  // New notifications arrive from the event consumers: keep the feed fresh while it is open.
  every(4000, refetch);

  async function after(call) {
    await call.catch(() => {});
    await refetch();
    refreshUnread();
  }

  return (
    <>
      <div class="row spread">
        <h1>Notifications</h1>
        <Show when={feed()?.unread > 0}>
          <button type="button" class="secondary" onClick={() => after(api.notifications.markAllRead(userId))}>Mark all as read</button>
        </Show>
      </div>
      <Status data={feed} error={error} what="notifications" />
      <Show when={feed()}>
        {(data) => (
          <>
            <Show when={!data().notifications.length}><p class="empty">No notifications yet.</p></Show>
            <ul class="plain">
              <For each={data().notifications}>
                {(n) => (
                  <li class="card notification" classList={{ unread: !n.read }}>
                    <h2>{n.title}</h2>
                    <p>{n.message}</p>
                    <p class="row spread"><span class="muted">{dateTime(n.createdAt)}</span>
                      <Show when={!n.read}><button type="button" class="secondary" aria-label={`Mark as read: ${n.title}`} onClick={() => after(api.notifications.markRead(userId, n.id))}>Mark as read</button></Show></p>
                  </li>
                )}
              </For>
            </ul>
          </>
        )}
      </Show>
    </>
  );
}
