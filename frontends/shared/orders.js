// The order saga as the shopper sees it, and live polling of an order until it settles.
import { orders } from './api.js';

export const FINAL = new Set(['CONFIRMED', 'SHIPPED', 'CANCELLED']);

/** The saga's visible steps with their state: done, current, todo or failed. */
export function orderSteps(order) {
  const status = order?.status;
  if (status === 'CANCELLED') {
    return [
      { label: 'Order placed', state: 'done' },
      { label: `Cancelled${order.reason ? `: ${order.reason}` : ''}`, state: 'failed' },
    ];
  }
  const reached = { PENDING: 1, CONFIRMED: 2, SHIPPED: 3 }[status] || 0;
  // A shipment is scheduled (with its tracking id) on confirmation; it ships when dispatched.
  const tracking = order?.trackingId ? ` (tracking ${order.trackingId})` : '';
  const last = status === 'SHIPPED' ? `Shipped${tracking}` : `Waiting for dispatch${tracking}`;
  return ['Order placed', 'Stock reserved, paid and confirmed', last].map((label, i) => ({
    label,
    state: i < reached ? 'done' : i === reached ? 'current' : 'todo',
  }));
}

export function statusText(order) {
  return (
    {
      PENDING: 'Processing: reserving stock and taking payment…',
      CONFIRMED: 'Confirmed',
      SHIPPED: 'Shipped',
      CANCELLED: 'Cancelled',
    }[order?.status] || order?.status || ''
  );
}

/**
 * Poll an order every `interval` ms, calling `onUpdate(order)` on each answer, until its status
 * is final (or `until(order)` says so). Returns a function that stops the polling.
 */
export function watchOrder(id, onUpdate, { interval = 1000, until = (o) => FINAL.has(o.status), onError } = {}) {
  let stopped = false;
  let timer;
  const tick = async () => {
    try {
      const order = await orders.get(id);
      if (stopped) return;
      onUpdate(order);
      if (until(order)) return;
    } catch (error) {
      if (stopped) return;
      onError?.(error);
    }
    timer = setTimeout(tick, interval);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
