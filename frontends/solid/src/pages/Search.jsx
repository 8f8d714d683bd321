import { For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import * as api from '@shopfn/shared/api.js';
import { SEARCH_SORTS, cleanQuery, money, priceBucketLabel } from '@shopfn/shared/format.js';
import { href, loader, router } from '../app.js';
import { Pager, Status, model, submitting } from '../components.jsx';

export function Search(props) {
  const [params, setParams] = createStore({ q: '', category: '', minPrice: '', maxPrice: '', sort: 'relevance', page: 1, ...props.route.query });
  const [found, { refetch }, error] = loader(() => (params.q || params.category ? api.search(cleanQuery(params)) : null));

  function run(changes = {}) {
    setParams({ page: 1, ...changes });
    router.navigate('/search', cleanQuery(params), { replace: true });
    refetch();
  }

  return (
    <>
      <h1>Search</h1>
      <form role="search" class="row" onSubmit={submitting(() => run())}>
        <input type="search" placeholder="Search products" aria-label="Search products" {...model(params, setParams, 'q')} />
        <select value={params.sort} aria-label="Sort by" onChange={(e) => run({ sort: e.currentTarget.value })}>
          <For each={SEARCH_SORTS}>{([value, text]) => <option value={value}>{text}</option>}</For>
        </select>
        <button type="submit">Search</button>
      </form>
      <Status data={found} error={error} what="results" />
      <Show when={!found.loading && !found() && !error()}><p class="empty">Type what you are looking for.</p></Show>
      <Show when={!found.loading && found()}>
        {(data) => (
          <div class="layout">
            <aside class="facets" aria-label="Refine">
              <fieldset>
                <legend>Category</legend>
                <Show when={params.category}><button type="button" class="link" onClick={() => run({ category: '' })}>All categories</button></Show>
                <For each={data().facets.category}>
                  {(f) => <div><button type="button" class="link" aria-pressed={params.category === f.value} onClick={() => run({ category: f.value })}>{f.value} ({f.count})</button></div>}
                </For>
              </fieldset>
              <fieldset>
                <legend>Price</legend>
                <Show when={params.minPrice || params.maxPrice}><button type="button" class="link" onClick={() => run({ minPrice: '', maxPrice: '' })}>Any price</button></Show>
                <For each={data().facets.price}>
                  {(b) => <div><button type="button" class="link" disabled={!b.count} onClick={() => run({ minPrice: b.min ?? '', maxPrice: b.max ?? '' })}>{priceBucketLabel(b)} ({b.count})</button></div>}
                </For>
              </fieldset>
            </aside>
            <div>
              <Show when={data().notice}><p class="alert info">{data().notice}</p></Show>
              <p class="muted" role="status">{data().total} result{data().total === 1 ? '' : 's'}</p>
              <Show when={data().total === 0}><p class="empty">Nothing found. Try other words.</p></Show>
              <ul class="plain">
                <For each={data().results}>
                  {(p) => (
                    <li class="card">
                      <h2><a href={href(`/products/${p._id}`)}>{p.name}</a></h2>
                      <p class="muted">{p.category} · {money(p.price)}</p>
                      <p>{p.description}</p>
                    </li>
                  )}
                </For>
              </ul>
              <Pager data={data()} go={(page) => { setParams('page', page); refetch(); }} />
            </div>
          </div>
        )}
      </Show>
    </>
  );
}
