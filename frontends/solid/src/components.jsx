import { Show } from 'solid-js';
import { pageInfo } from '@shopfn/shared/api.js';
import { ratingLabel, stars } from '@shopfn/shared/format.js';

/** Loading and error states of a resource. */
export function Status(props) {
  return (
    <>
      <Show when={props.data.loading && !props.data()}><p class="loading" role="status">Loading {props.what}…</p></Show>
      <Show when={props.error()}><p class="alert error" role="alert">{props.error()}</p></Show>
    </>
  );
}

export function Pager(props) {
  const info = () => pageInfo(props.data || {});
  return (
    <Show when={info().pages > 1}>
      <nav class="pager" aria-label="Pages">
        <button type="button" class="secondary" disabled={!info().hasPrev} onClick={() => props.go(info().page - 1)}>Previous</button>
        <span>Page {info().page} of {info().pages}{props.noun ? ` (${info().total} ${props.noun})` : ''}</span>
        <button type="button" class="secondary" disabled={!info().hasNext} onClick={() => props.go(info().page + 1)}>Next</button>
      </nav>
    </Show>
  );
}

export function Stars(props) {
  return (
    <>
      <span class="stars" aria-hidden="true">{stars(props.rating)}</span>
      <span class="sr-only">{ratingLabel(props.rating, props.count)}</span>
    </>
  );
}

/** Two-way binding for a store field: <input {...model(form, setForm, 'name')} />. */
export function model(store, set, name, kind = 'value') {
  return {
    get [kind]() {
      return store[name];
    },
    onInput: (e) => set(name, kind === 'checked' ? e.currentTarget.checked : e.currentTarget.value),
  };
}

export const submitting = (fn) => (e) => {
  e.preventDefault();
  fn();
};
