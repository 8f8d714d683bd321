import { useEffect } from 'preact/hooks';
import * as api from '@shopfn/shared/api.js';
import { dateTime } from '@shopfn/shared/format.js';
import { useLoader } from '../hooks.js';
import { Status } from '../components.jsx';

export function Notifications({ user, refreshUnread }) {
  const feed = useLoader(() => api.notifications.list(user.id), [user.id]);
  // New notifications arrive from the event consumers: keep the feed fresh while it is open.
  useEffect(() => {
    const timer = setInterval(feed.reload, 4000);
    return () => clearInterval(timer);
  }, [feed.reload]);

  async function after(call) {
    await call.catch(() => {});
    await feed.reload();
    refreshUnread();
  }

  return (
    <>
      <div class="row spread">
        <h1>Notifications</h1>
        {feed.data?.unread > 0 && <button type="button" class="secondary" onClick={() => after(api.notifications.markAllRead(user.id))}>Mark all as read</button>}
      </div>
      <Status loader={feed} what="notifications" />
      {feed.data && (
        <>
          {!feed.data.notifications.length && <p class="empty">No notifications yet.</p>}
          <ul class="plain">
            {feed.data.notifications.map((n) => (
              <li class={`card notification${n.read ? '' : ' unread'}`} key={n.id}>
                <h2>{n.title}</h2>
                <p>{n.message}</p>
                <p class="row spread"><span class="muted">{dateTime(n.createdAt)}</span>
                  {!n.read && <button type="button" class="secondary" aria-label={`Mark as read: ${n.title}`} onClick={() => after(api.notifications.markRead(user.id, n.id))}>Mark as read</button>}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
