import { pageInfo } from '@shopfn/shared/api.js';
import { ratingLabel, stars } from '@shopfn/shared/format.js';

/** Loading and error states of a useLoader result. */
export function Status({ loader, what }) {
  return (
    <>
      {loader.loading && !loader.data && <p class="loading" role="status">Loading {what}…</p>}
      {loader.error && <p class="alert error" role="alert">{loader.error}</p>}
    </>
  );
}

export function Pager({ data, go, noun = '' }) {
  const info = pageInfo(data || {});
  if (info.pages <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" class="secondary" disabled={!info.hasPrev} onClick={() => go(info.page - 1)}>Previous</button>
      <span>Page {info.page} of {info.pages}{noun && ` (${info.total} ${noun})`}</span>
      <button type="button" class="secondary" disabled={!info.hasNext} onClick={() => go(info.page + 1)}>Next</button>
    </nav>
  );
}

export function Stars({ rating, count }) {
  return (
    <>
      <span class="stars" aria-hidden="true">{stars(rating)}</span>
      <span class="sr-only">{ratingLabel(rating, count)}</span>
    </>
  );
}

/** An input bound to `values[name]` through `set`. */
export function bind(values, set, name, kind = 'value') {
  return {
    [kind]: values[name],
    onInput: (e) => set({ ...values, [name]: kind === 'checked' ? e.currentTarget.checked : e.currentTarget.value }),
  };
}

export const submitting = (fn) => (e) => {
  e.preventDefault();
  fn();
};
