import { For, Show, createSignal, onCleanup } from 'solid-js';
import * as api from '@shopfn/shared/api.js';
import { dateTime, errorText, money } from '@shopfn/shared/format.js';
import { FINAL, orderSteps, statusText, watchOrder } from '@shopfn/shared/orders.js';
import { href, loader, refreshUnread } from '../app.js';
import { Pager, Status } from '../components.jsx';

export function Orders() {
  const [page, setPage] = createSignal(1);
  const [list, , error] = loader(page, (p) => api.orders.list({ page: p, pageSize: 10 }));
  return (
    <>
      <h1>My orders</h1>
      <Status data={list} error={error} what="orders" />
      <Show when={list()}>
        {(data) => (
          <>
            <Show when={!data().orders.length}><p class="empty">No orders yet.</p></Show>
            <ul class="plain">
              <For each={data().orders}>
                {(o) => (
                  <li class="card row spread">
                    <a href={href(`/orders/${o.id}`)}>Order {o.id.slice(0, 8)}</a>
                    <span>{dateTime(o.createdAt)}</span>
                    <span>{money(o.total, o.currency)}</span>
                    <span class={`status status-${o.status}`}>{o.status}</span>
                  </li>
                )}
              </For>
            </ul>
            <Pager data={data()} go={setPage} />
          </>
        )}
      </Show>
    </>
  );
}

/** One order, polled while the saga works on it. */
export function Order(props) {
  const [order, setOrder] = createSignal(null);
  const [error, setError] = createSignal('');
  let stop;

  function follow(until) {
    stop?.();
    stop = watchOrder(
      props.route.param,
      (o) => {
        setOrder(o);
        setError('');
        if (FINAL.has(o.status)) refreshUnread();
      },
      { until, onError: (e) => setError(errorText(e)) },
    );
  }
  follow();
  onCleanup(() => stop?.());

  async function cancel() {
    try {
      setOrder(await api.orders.cancel(order().id));
      follow((o) => ['CANCELLED', 'SHIPPED'].includes(o.status));
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <>
      <Show when={!order() && !error()}><p class="loading" role="status">Loading order…</p></Show>
      <Show when={error()}><p class="alert error" role="alert">{error()}</p></Show>
      <Show when={order()}>
        {(o) => (
          <>
            <h1>Order {o().id.slice(0, 8)}</h1>
            <p role="status" aria-live="polite">Status: <span class={`status status-${o().status}`}>{statusText(o())}</span></p>
            <ol class="steps" aria-label="Order progress">
              <For each={orderSteps(o())}>{(step) => <li class={step.state}>{step.label}</li>}</For>
            </ol>
            <ul class="plain">
              <For each={o().items}>{(item) => <li>{item.quantity} × {item.name} · {money(item.unitPrice, o().currency)}</li>}</For>
            </ul>
            <p class="price">Total: {money(o().total, o().currency)}</p>
            <p class="muted">Ship to: {o().shippingAddress}</p>
            <Show when={['PENDING', 'CONFIRMED'].includes(o().status)}>
              <button type="button" class="danger" onClick={cancel}>Cancel order</button>
            </Show>
          </>
        )}
      </Show>
    </>
  );
}
