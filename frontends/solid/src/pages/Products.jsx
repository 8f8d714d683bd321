import { For, Show, createResource } from 'solid-js';
import { createStore } from 'solid-js/store';
import * as api from '@shopfn/shared/api.js';
import { SORTS, categoryOptions, cleanQuery, money, wideScreen } from '@shopfn/shared/format.js';
import { href, loader, router } from '../app.js';
import { Pager, Stars, Status, model, submitting } from '../components.jsx';

export function Products(props) {
  const [filters, setFilters] = createStore({ category: '', minPrice: '', maxPrice: '', inStock: false, sort: 'newest', page: 1, ...props.route.query });
  const [categories] = createResource(api.categories, { initialValue: [] });
  const [list, { refetch }, error] = loader(() => api.products.list({ ...cleanQuery(filters), pageSize: 12 }));

  function apply(page = 1) {
    setFilters('page', page);
    router.navigate('/', cleanQuery(filters), { replace: true });
    refetch();
  }

  return (
    <section class="layout">
      <details class="card filters" open={wideScreen()}>
        <summary>Filters</summary>
        <form class="stack" aria-label="Filters" onSubmit={submitting(() => apply())}>
          <label>Category
            <select {...model(filters, setFilters, 'category')}>
              <option value="">All categories</option>
              <For each={categoryOptions(categories(), filters.category)}>{(c) => <option value={c}>{c}</option>}</For>
            </select>
          </label>
          <label>Min price <input type="number" min="0" step="0.01" {...model(filters, setFilters, 'minPrice')} /></label>
          <label>Max price <input type="number" min="0" step="0.01" {...model(filters, setFilters, 'maxPrice')} /></label>
          <label class="check"><input type="checkbox" {...model(filters, setFilters, 'inStock', 'checked')} /> In stock only</label>
          <label>Sort by
            <select {...model(filters, setFilters, 'sort')}><For each={SORTS}>{([value, text]) => <option value={value}>{text}</option>}</For></select>
          </label>
          <button type="submit">Apply filters</button>
        </form>
      </details>
      <div>
        <h1>Products</h1>
        <Status data={list} error={error} what="products" />
        <Show when={!list.loading && list()}>
          {(data) => (
            <>
              <Show when={data().total === 0}><p class="empty">No products match these filters.</p></Show>
              <ul class="grid">
                <For each={data().products}>
                  {(p) => (
                    <li class="card">
                      <h2><a href={href(`/products/${p._id}`)}>{p.name}</a></h2>
                      <p class="muted">{p.category}</p>
                      <p class="price">{money(p.price)}</p>
                      <p><Stars rating={p.rating} count={p.ratingCount} /> <span class="muted" aria-hidden="true">({p.ratingCount})</span></p>
                      <p class="muted">{p.stock > 0 ? `${p.stock} in stock` : 'Out of stock'}</p>
                    </li>
                  )}
                </For>
              </ul>
              <Pager data={data()} go={apply} noun="products" />
            </>
          )}
        </Show>
      </div>
    </section>
  );
}
