import { useState } from 'preact/hooks';
import * as api from '@shopfn/shared/api.js';
import { SEARCH_SORTS, cleanQuery, money, priceBucketLabel } from '@shopfn/shared/format.js';
import { href, router, useLoader } from '../hooks.js';
import { Pager, Status, submitting } from '../components.jsx';

export function Search({ route }) {
  const [params, setParams] = useState({ q: '', category: '', minPrice: '', maxPrice: '', sort: 'relevance', page: 1, ...route.query });
  const [applied, setApplied] = useState(params);
  const found = useLoader(() => (applied.q || applied.category ? api.search(cleanQuery(applied)) : null), [applied]);

  function run(changes = {}) {
    const next = { ...params, page: 1, ...changes };
    setParams(next);
    setApplied(next);
    router.navigate('/search', cleanQuery(next), { replace: true });
  }
  const data = !found.loading && found.data;

  return (
    <>
      <h1>Search</h1>
      <form role="search" class="row" onSubmit={submitting(() => run())}>
        <input type="search" value={params.q} onInput={(e) => setParams({ ...params, q: e.currentTarget.value })} placeholder="Search products" aria-label="Search products" />
        <select value={params.sort} aria-label="Sort by" onChange={(e) => run({ sort: e.currentTarget.value })}>
          {SEARCH_SORTS.map(([value, text]) => <option value={value}>{text}</option>)}
        </select>
        <button type="submit">Search</button>
      </form>
      <Status loader={found} what="results" />
      {!found.loading && !found.data && !found.error && <p class="empty">Type what you are looking for.</p>}
      {data && (
        <div class="layout">
          <aside class="facets" aria-label="Refine">
            <fieldset>
              <legend>Category</legend>
              {applied.category && <button type="button" class="link" onClick={() => run({ category: '' })}>All categories</button>}
              {data.facets.category.map((f) => (
                <div key={f.value}><button type="button" class="link" aria-pressed={applied.category === f.value} onClick={() => run({ category: f.value })}>{f.value} ({f.count})</button></div>
              ))}
            </fieldset>
            <fieldset>
              <legend>Price</legend>
              {(applied.minPrice || applied.maxPrice) && <button type="button" class="link" onClick={() => run({ minPrice: '', maxPrice: '' })}>Any price</button>}
              {data.facets.price.map((b) => (
                <div key={b.key}><button type="button" class="link" disabled={!b.count} onClick={() => run({ minPrice: b.min ?? '', maxPrice: b.max ?? '' })}>{priceBucketLabel(b)} ({b.count})</button></div>
              ))}
            </fieldset>
          </aside>
          <div>
            {data.notice && <p class="alert info">{data.notice}</p>}
            <p class="muted" role="status">{data.total} result{data.total === 1 ? '' : 's'}</p>
            {data.total === 0 && <p class="empty">Nothing found. Try other words.</p>}
            <ul class="plain">
              {data.results.map((p) => (
                <li class="card" key={p._id}>
                  <h2><a href={href(`/products/${p._id}`)}>{p.name}</a></h2>
                  <p class="muted">{p.category} · {money(p.price)}</p>
                  <p>{p.description}</p>
                </li>
              ))}
            </ul>
            <Pager data={data} go={(page) => setApplied({ ...applied, page })} />
          </div>
        </div>
      )}
    </>
  );
}
