import { useState } from 'preact/hooks';
import * as api from '@shopfn/shared/api.js';
import { dateTime, errorText, money, ratingLabel, stars } from '@shopfn/shared/format.js';
import { router, useLoader } from '../hooks.js';
import { Stars, Status, bind, submitting } from '../components.jsx';

const blankReview = { rating: '5', title: '', text: '' };

export function Product({ route, user }) {
  const id = route.param;
  const item = useLoader(async () => {
    const [product, list] = await Promise.all([api.products.get(id), api.reviews.list(id, { pageSize: 50 })]);
    return { product, reviews: list.reviews };
  }, [id]);
  const [qty, setQty] = useState(1);
  const [message, setMessage] = useState(null);
  const [review, setReview] = useState(blankReview);
  const [reviewError, setReviewError] = useState('');

  async function addToCart() {
    if (!user) return router.navigate('/login', { next: location.pathname });
    try {
      await api.cart.add(id, Number(qty));
      setMessage({ ok: true, text: 'Added to your cart.' });
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) });
    }
  }

  async function postReview() {
    setReviewError('');
    try {
      await api.reviews.create(id, { ...review, rating: Number(review.rating) });
      setReview(blankReview);
      item.reload();
    } catch (e) {
      setReviewError(errorText(e));
    }
  }

  if (!item.data) return <Status loader={item} what="product" />;
  const p = item.data.product;
  return (
    <>
      <h1>{p.name}</h1>
      <p><span class="stars" aria-hidden="true">{stars(p.rating)}</span> {ratingLabel(p.rating, p.ratingCount)}</p>
      <p class="price">{money(p.price)}</p>
      <p>{p.description}</p>
      <p class="muted">{p.category} · {p.stock} in stock</p>
      {p.specifications && Object.keys(p.specifications).length > 0 && (
        <dl>{Object.entries(p.specifications).map(([k, v]) => <div class="row" key={k}><dt>{k}:</dt><dd style="margin:0">{String(v)}</dd></div>)}</dl>
      )}
      <form class="row" onSubmit={submitting(addToCart)}>
        <label>Quantity <input type="number" min="1" max={p.stock} value={qty} onInput={(e) => setQty(e.currentTarget.value)} style="width:6em" /></label>
        <button type="submit" disabled={p.stock < 1}>Add to cart</button>
      </form>
      {message && <p class={`alert ${message.ok ? 'ok' : 'error'}`} role="status">{message.text}</p>}

      <h2>Reviews</h2>
      {!item.data.reviews.length && <p class="empty">No reviews yet.</p>}
      <ul class="plain">
        {item.data.reviews.map((r) => (
          <li class="card" key={r._id}>
            <p><Stars rating={r.rating} /> <strong>{r.title}</strong></p>
            <p>{r.text}</p>
            <p class="muted">{r.userName || 'A shopper'} · {dateTime(r.createdAt)}</p>
          </li>
        ))}
      </ul>
      {user && (
        <form class="stack narrow card" aria-label="Write a review" onSubmit={submitting(postReview)}>
          <h3>Write a review</h3>
          <label>Rating
            <select {...bind(review, setReview, 'rating')}>{[5, 4, 3, 2, 1].map((n) => <option value={n}>{n} star{n > 1 ? 's' : ''}</option>)}</select>
          </label>
          <label>Title <input maxLength={120} {...bind(review, setReview, 'title')} /></label>
          <label>Review <textarea rows={3} maxLength={2000} {...bind(review, setReview, 'text')} /></label>
          {reviewError && <p class="alert error" role="alert">{reviewError}</p>}
          <button type="submit">Post review</button>
        </form>
      )}
    </>
  );
}
