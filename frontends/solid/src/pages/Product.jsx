import { For, Show, createSignal } from 'solid-js';
import { createStore } from 'solid-js/store';
import * as api from '@shopfn/shared/api.js';
import { dateTime, errorText, money, ratingLabel, stars } from '@shopfn/shared/format.js';
import { loader, router, user } from '../app.js';
import { Stars, Status, model, submitting } from '../components.jsx';

export function Product(props) {
  const id = props.route.param;
  const [item, { refetch }, error] = loader(async () => {
    const [product, list] = await Promise.all([api.products.get(id), api.reviews.list(id, { pageSize: 50 })]);
    return { product, reviews: list.reviews };
  });
  const [qty, setQty] = createSignal(1);
  const [message, setMessage] = createSignal(null);
  const [review, setReview] = createStore({ rating: '5', title: '', text: '' });
  const [reviewError, setReviewError] = createSignal('');

  async function addToCart() {
    if (!user()) return router.navigate('/login', { next: location.pathname });
    try {
      await api.cart.add(id, Number(qty()));
      setMessage({ ok: true, text: 'Added to your cart.' });
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) });
    }
  }

  async function postReview() {
    setReviewError('');
    try {
      await api.reviews.create(id, { ...review, rating: Number(review.rating) });
      setReview({ rating: '5', title: '', text: '' });
      refetch();
    } catch (e) {
      setReviewError(errorText(e));
    }
  }

  return (
    <>
      <Status data={item} error={error} what="product" />
      <Show when={item()}>
        {(data) => (
          <>
            <h1>{data().product.name}</h1>
            <p><span class="stars" aria-hidden="true">{stars(data().product.rating)}</span> {ratingLabel(data().product.rating, data().product.ratingCount)}</p>
            <p class="price">{money(data().product.price)}</p>
            <p>{data().product.description}</p>
            <p class="muted">{data().product.category} · {data().product.stock} in stock</p>
            <Show when={Object.keys(data().product.specifications || {}).length}>
              <dl><For each={Object.entries(data().product.specifications)}>{([k, v]) => <div class="row"><dt>{k}:</dt><dd style="margin:0">{String(v)}</dd></div>}</For></dl>
            </Show>
            <form class="row" onSubmit={submitting(addToCart)}>
              <label>Quantity <input type="number" min="1" max={data().product.stock} value={qty()} onInput={(e) => setQty(e.currentTarget.value)} style="width:6em" /></label>
              <button type="submit" disabled={data().product.stock < 1}>Add to cart</button>
            </form>
            <Show when={message()}>{(m) => <p class={`alert ${m().ok ? 'ok' : 'error'}`} role="status">{m().text}</p>}</Show>

            <h2>Reviews</h2>
            <Show when={!data().reviews.length}><p class="empty">No reviews yet.</p></Show>
            <ul class="plain">
              <For each={data().reviews}>
                {(r) => (
                  <li class="card">
                    <p><Stars rating={r.rating} /> <strong>{r.title}</strong></p>
                    <p>{r.text}</p>
                    <p class="muted">{r.userName || 'A shopper'} · {dateTime(r.createdAt)}</p>
                  </li>
                )}
              </For>
            </ul>
            <Show when={user()}>
              <form class="stack narrow card" aria-label="Write a review" onSubmit={submitting(postReview)}>
                <h3>Write a review</h3>
                <label>Rating
                  <select {...model(review, setReview, 'rating')}><For each={[5, 4, 3, 2, 1]}>{(n) => <option value={n}>{n} star{n > 1 ? 's' : ''}</option>}</For></select>
                </label>
                <label>Title <input maxLength={120} {...model(review, setReview, 'title')} /></label>
                <label>Review <textarea rows={3} maxLength={2000} {...model(review, setReview, 'text')} /></label>
                <Show when={reviewError()}><p class="alert error" role="alert">{reviewError()}</p></Show>
                <button type="submit">Post review</button>
              </form>
            </Show>
          </>
        )}
      </Show>
    </>
  );
}
