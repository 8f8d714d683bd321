import { useEffect, useState } from 'preact/hooks';
import * as api from '@shopfn/shared/api.js';
import { dateTime, errorText, money } from '@shopfn/shared/format.js';
import { FINAL, orderSteps, statusText, watchOrder } from '@shopfn/shared/orders.js';
import { href, useLoader } from '../hooks.js';
import { Pager, Status } from '../components.jsx';

export function Orders() {
  const [page, setPage] = useState(1);
  const list = useLoader(() => api.orders.list({ page, pageSize: 10 }), [page]);
  return (
    <>
      <h1>My orders</h1>
      <Status loader={list} what="orders" />
      {list.data && (
        <>
          {!list.data.orders.length && <p class="empty">No orders yet.</p>}
          <ul class="plain">
            {list.data.orders.map((o) => (
              <li class="card row spread" key={o.id}>
                <a href={href(`/orders/${o.id}`)}>Order {o.id.slice(0, 8)}</a>
                <span>{dateTime(o.createdAt)}</span>
                <span>{money(o.total, o.currency)}</span>
                <span class={`status status-${o.status}`}>{o.status}</span>
              </li>
            ))}
          </ul>
          <Pager data={list.data} go={setPage} />
        </>
      )}
    </>
  );
}

/** One order, polled while the saga works on it. */
export function Order({ route, refreshUnread }) {
  const [order, setOrder] = useState(null);
  const [error, setError] = useState('');
  // What "done" means: the saga settled, or (after a cancel request) the order is cancelled.
  const [until, setUntil] = useState(() => (o) => FINAL.has(o.status));

  useEffect(
    () =>
      watchOrder(
        route.param,
        (o) => {
          setOrder(o);
          setError('');
          if (FINAL.has(o.status)) refreshUnread();
        },
        { until, onError: (e) => setError(errorText(e)) },
      ),
    [route.param, until],
  );

  async function cancel() {
    try {
      setOrder(await api.orders.cancel(order.id));
      setUntil(() => (o) => ['CANCELLED', 'SHIPPED'].includes(o.status));
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <>
      {!order && !error && <p class="loading" role="status">Loading order…</p>}
      {error && <p class="alert error" role="alert">{error}</p>}
      {order && (
        <>
          <h1>Order {order.id.slice(0, 8)}</h1>
          <p role="status" aria-live="polite">Status: <span class={`status status-${order.status}`}>{statusText(order)}</span></p>
          <ol class="steps" aria-label="Order progress">
            {orderSteps(order).map((step) => <li class={step.state}>{step.label}</li>)}
          </ol>
          <ul class="plain">
            {order.items.map((item) => <li key={item.productId}>{item.quantity} × {item.name} · {money(item.unitPrice, order.currency)}</li>)}
          </ul>
          <p class="price">Total: {money(order.total, order.currency)}</p>
          <p class="muted">Ship to: {order.shippingAddress}</p>
          {['PENDING', 'CONFIRMED'].includes(order.status) && <button type="button" class="danger" onClick={cancel}>Cancel order</button>}
        </>
      )}
    </>
  );
}
