import { useEffect, useState } from 'preact/hooks';
import * as api from '@shopfn/shared/api.js';
import { SORTS, categoryOptions, cleanQuery, money, wideScreen } from '@shopfn/shared/format.js';
import { href, router, useLoader } from '../hooks.js';
import { Pager, Stars, Status, bind, submitting } from '../components.jsx';

export function Products({ route }) {
  const [filters, setFilters] = useState({ category: '', minPrice: '', maxPrice: '', inStock: false, sort: 'newest', page: 1, ...route.query });
  const [applied, setApplied] = useState(filters);
  const [categories, setCategories] = useState([]);
  useEffect(() => {
    api.categories().then(setCategories);
  }, []);
  const list = useLoader(() => api.products.list({ ...cleanQuery(applied), pageSize: 12 }), [applied]);

  function apply(page = 1) {
    const next = { ...filters, page };
    setFilters(next);
    setApplied(next);
    router.navigate('/', cleanQuery(next), { replace: true });
  }

  return (
    <section class="layout">
      <details class="card filters" open={wideScreen()}>
        <summary>Filters</summary>
        <form class="stack" aria-label="Filters" onSubmit={submitting(() => apply())}>
          <label>Category
            <select {...bind(filters, setFilters, 'category')}>
              <option value="">All categories</option>
              {categoryOptions(categories, filters.category).map((c) => <option value={c}>{c}</option>)}
            </select>
          </label>
          <label>Min price <input type="number" min="0" step="0.01" {...bind(filters, setFilters, 'minPrice')} /></label>
          <label>Max price <input type="number" min="0" step="0.01" {...bind(filters, setFilters, 'maxPrice')} /></label>
          <label class="check"><input type="checkbox" {...bind(filters, setFilters, 'inStock', 'checked')} /> In stock only</label>
          <label>Sort by
            <select {...bind(filters, setFilters, 'sort')}>{SORTS.map(([value, text]) => <option value={value}>{text}</option>)}</select>
          </label>
          <button type="submit">Apply filters</button>
        </form>
      </details>
      <div>
        <h1>Products</h1>
        <Status loader={list} what="products" />
        {list.data && !list.loading && (
          <>
            {list.data.total === 0 && <p class="empty">No products match these filters.</p>}
            <ul class="grid">
              {list.data.products.map((p) => (
                <li class="card" key={p._id}>
                  <h2><a href={href(`/products/${p._id}`)}>{p.name}</a></h2>
                  <p class="muted">{p.category}</p>
                  <p class="price">{money(p.price)}</p>
                  <p><Stars rating={p.rating} count={p.ratingCount} /> <span class="muted" aria-hidden="true">({p.ratingCount})</span></p>
                  <p class="muted">{p.stock > 0 ? `${p.stock} in stock` : 'Out of stock'}</p>
                </li>
              ))}
            </ul>
            <Pager data={list.data} go={apply} noun="products" />
          </>
        )}
      </div>
    </section>
  );
}
