// A tiny history router shared by the apps: routes are paths below the app's base
// (`/`, `/svelte/`, ...); the gateway answers every such path with index.html.

const ROUTES = [
  ['products', /^\/$/],
  ['search', /^\/search$/],
  ['product', /^\/products\/([^/]+)$/],
  ['login', /^\/login$/],
  ['register', /^\/register$/],
  ['cart', /^\/cart$/],
  ['orders', /^\/orders$/],
  ['order', /^\/orders\/([^/]+)$/],
  ['notifications', /^\/notifications$/],
  ['admin', /^\/admin(?:\/(products|users|reviews|analytics))?$/],
];

export function createRouter(base) {
  const root = base.endsWith('/') ? base.slice(0, -1) : base;
  const listeners = new Set();

  function parse() {
    let path = location.pathname.startsWith(root) ? location.pathname.slice(root.length) : location.pathname;
    path = path.replace(/\/+$/, '') || '/';
    const query = Object.fromEntries(new URLSearchParams(location.search));
    for (const [name, pattern] of ROUTES) {
      const m = path.match(pattern);
      if (m) return { name, param: m[1] ? decodeURIComponent(m[1]) : '', query, path };
    }
    return { name: 'not-found', param: '', query, path };
  }

  const href = (path, query) => {
    const qs = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '' && v != null)).toString() : '';
    return root + path + (qs ? `?${qs}` : '');
  };

  const notify = () => {
    const route = parse();
    listeners.forEach((fn) => fn(route));
  };

  function navigate(path, query, { replace = false } = {}) {
    history[replace ? 'replaceState' : 'pushState'](null, '', href(path, query));
    window.scrollTo(0, 0);
    notify();
  }

  // Plain <a href> links inside the app navigate without a page load.
  document.addEventListener('click', (event) => {
    const a = event.target.closest?.('a[href]');
    if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !(url.pathname + '/').startsWith(root + '/') || a.target) return;
    event.preventDefault();
    history.pushState(null, '', url.pathname + url.search);
    window.scrollTo(0, 0);
    notify();
  });
  window.addEventListener('popstate', notify);

  /** After logging in: back to `next` (a path of this app, from ?next=) or to the start page. */
  function continueTo(next) {
    const inside = next && next.startsWith(root + '/') ? next.slice(root.length) : '/';
    // Only a path inside this app: never another site ("//host" would be one).
    navigate(inside.startsWith('/') && !inside.startsWith('//') ? inside : '/');
  }

  return {
    continueTo,
    current: parse,
    href,
    navigate,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
