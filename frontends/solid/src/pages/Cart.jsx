import { For, Show, createSignal } from 'solid-js';
import { createStore } from 'solid-js/store';
import * as api from '@shopfn/shared/api.js';
import { errorText, money } from '@shopfn/shared/format.js';
import { href, loader, router } from '../app.js';
import { Status, model, submitting } from '../components.jsx';

export function Cart() {
  const [cart, { mutate }, error] = loader(() => api.cart.get());
  const [checkout, setCheckout] = createStore({ cardNumber: '4242424242424242', shippingAddress: '' });
  const [actionError, setActionError] = createSignal('');
  const [placing, setPlacing] = createSignal(false);

  async function change(call) {
    setActionError('');
    try {
      mutate((await call()) || (await api.cart.get()));
    } catch (e) {
      setActionError(errorText(e));
    }
  }

  async function placeOrder() {
    setPlacing(true);
    setActionError('');
    try {
      const order = await api.cart.checkout({ ...checkout });
      router.navigate(`/orders/${order.id}`);
    } catch (e) {
      setActionError(errorText(e));
      setPlacing(false);
    }
  }

  return (
    <>
      <h1>Your cart</h1>
      <Status data={cart} error={error} what="your cart" />
      <Show when={actionError()}><p class="alert error" role="alert">{actionError()}</p></Show>
      <Show when={cart() && !cart().items.length}><p class="empty">Your cart is empty. <a href={href('/')}>Browse products</a>.</p></Show>
      <Show when={cart()?.items.length}>
        <div class="stack">
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">Product</th><th scope="col">Price</th><th scope="col">Quantity</th><th scope="col">Total</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              <For each={cart().items}>
                {(item) => (
                  <tr>
                    <td><a href={href(`/products/${item.productId}`)}>{item.name}</a></td>
                    <td>{money(item.unitPrice, cart().currency)}</td>
                    <td><input type="number" min="1" value={item.quantity} aria-label={`Quantity of ${item.name}`} style="width:5em"
                      onChange={(e) => change(() => api.cart.setQuantity(item.productId, Number(e.currentTarget.value)))} /></td>
                    <td>{money(item.lineTotal, cart().currency)}</td>
                    <td><button type="button" class="secondary" aria-label={`Remove ${item.name}`} onClick={() => change(() => api.cart.remove(item.productId))}>Remove</button></td>
                  </tr>
                )}
              </For>
            </tbody>
          </table></div>
          <p class="price">Total: {money(cart().total, cart().currency)}</p>
          <form class="stack narrow card" aria-label="Checkout" onSubmit={submitting(placeOrder)}>
            <h2>Checkout</h2>
            <label>Card number <input inputMode="numeric" autocomplete="cc-number" required {...model(checkout, setCheckout, 'cardNumber')} /></label>
            <label>Shipping address <textarea autocomplete="street-address" rows={2} required minLength={3} {...model(checkout, setCheckout, 'shippingAddress')} /></label>
            <button type="submit" disabled={placing()}>{placing() ? 'Placing order…' : 'Place order'}</button>
          </form>
        </div>
      </Show>
    </>
  );
}
