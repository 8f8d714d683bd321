// The one API client of the four frontends: framework-free, no dependencies.
// It keeps the session (access + refresh token), refreshes quietly on a 401, turns
// problem+json answers into ApiError, and knows every route the apps call.

const SESSION_KEY = 'shopfn.session';

export class ApiError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code || '';
    this.problem = problem;
    // Validation problems list their field errors; the forms show them next to the fields.
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }

  /** The first validation message about `field` (e.g. "email"), if any. */
  fieldError(field) {
    const hit = this.errors.find((e) => {
      const loc = e.loc || e.field || e.path || '';
      return Array.isArray(loc) ? loc.includes(field) : String(loc).split(/[./]/).includes(field);
    });
    return hit ? hit.msg || hit.message || String(hit) : '';
  }
}

/** The claims of a JWT (not verified: the server does that); null if unreadable. */
export function decodeToken(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '=')));
  } catch {
    return null;
  }
}

function readStored() {
  try {
    return JSON.parse(globalThis.localStorage?.getItem(SESSION_KEY) || 'null');
  } catch {
    return null;
  }
}

const listeners = new Set();
let tokens = readStored();
let refreshing = null;

/** Who is logged in: {id, role, email} or null. */
export function currentUser() {
  const claims = tokens && decodeToken(tokens.accessToken);
  return claims ? { id: claims.sub, role: claims.role, email: claims.email || '' } : null;
}

/** Call `fn(user)` on every login, logout or lost session; returns the unsubscribe function. */
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setTokens(next) {
  tokens = next;
  if (next) globalThis.localStorage?.setItem(SESSION_KEY, JSON.stringify(next));
  else globalThis.localStorage?.removeItem(SESSION_KEY);
  const user = currentUser();
  listeners.forEach((fn) => fn(user));
}

function queryString(query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '' && value !== false) {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function send(method, path, { query, body, token }) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path + queryString(query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, { title: 'network error', detail: 'cannot reach the shop; check your connection' });
  }
  if (response.status === 204) return { response, data: null };
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json().catch(() => null) : null;
  return { response, data };
}

// One refresh at a time: parallel 401s all wait for the same new token pair.
function refreshOnce() {
  if (!refreshing) {
    const refreshToken = tokens?.refreshToken;
    refreshing = (async () => {
      if (!refreshToken) return false;
      const { response, data } = await send('POST', '/api/auth/refresh', { body: { refreshToken } });
      if (!response.ok) return false;
      setTokens({ accessToken: data.accessToken, refreshToken: data.refreshToken });
      return true;
    })()
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

/** Call the API; throws ApiError. A 401 with a session triggers one quiet refresh and retry. */
export async function request(method, path, { query, body } = {}) {
  const sentWith = tokens?.accessToken;
  let { response, data } = await send(method, path, { query, body, token: sentWith });
  if (response.status === 401 && sentWith && !path.startsWith('/api/auth/')) {
    // Another call may have refreshed already while this one was in flight.
    const renewed = tokens?.accessToken !== sentWith || (await refreshOnce());
    if (renewed) {
      ({ response, data } = await send(method, path, { query, body, token: tokens?.accessToken }));
    } else {
      setTokens(null);
    }
  }
  if (!response.ok) throw new ApiError(response.status, data || {});
  return data;
}

/** Paging facts for a list answer {total, page, pageSize}. */
export function pageInfo({ total = 0, page = 1, pageSize = 20 } = {}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return {
    total,
    page,
    pageSize,
    pages,
    hasPrev: page > 1,
    hasNext: page < pages,
    from: total === 0 ? 0 : (page - 1) * pageSize + 1,
    to: Math.min(total, page * pageSize),
  };
}

/**
 * A list answer with `item` replaced (same _id) or put first. The apps show their own changes
 * at once this way: cached catalog pages catch up through events a moment later.
 */
export function upsertInPage(data, key, item) {
  const items = data?.[key] || [];
  if (items.some((x) => x._id === item._id)) {
    return { ...data, [key]: items.map((x) => (x._id === item._id ? item : x)) };
  }
  return { ...data, [key]: [item, ...items], total: (data?.total || 0) + 1 };
}

/** A list answer without the item `id`. */
export function removeFromPage(data, key, id) {
  return { ...data, [key]: (data?.[key] || []).filter((x) => x._id !== id), total: Math.max(0, (data?.total || 1) - 1) };
}

const enc = encodeURIComponent;

export const auth = {
  async login(email, password) {
    const pair = await request('POST', '/api/auth/login', { body: { email, password } });
    setTokens({ accessToken: pair.accessToken, refreshToken: pair.refreshToken });
    return currentUser();
  },
  async register({ name, email, password }) {
    await request('POST', '/api/users', { body: { name, email, password } });
    return auth.login(email, password);
  },
  async logout() {
    const refreshToken = tokens?.refreshToken;
    try {
      if (refreshToken) await request('POST', '/api/auth/logout', { body: { refreshToken } });
    } finally {
      setTokens(null); // logged out locally even when the server cannot be told
    }
  },
  me: () => request('GET', '/api/users/me').then((d) => d.user),
};

export const products = {
  list: (query) => request('GET', '/api/products', { query }),
  get: (id) => request('GET', `/api/products/${enc(id)}`).then((d) => d.product),
  create: (fields) => request('POST', '/api/products', { body: fields }).then((d) => d.product),
  update: (id, fields) =>
    request('PATCH', `/api/products/${enc(id)}`, { body: fields }).then((d) => d.product),
  remove: (id) => request('DELETE', `/api/products/${enc(id)}`),
};

/** Full-text search: {results, total, page, pageSize, facets: {category, price}, degraded, notice}. */
export async function search(query) {
  const data = await request('GET', '/api/search', { query });
  const facets = data.facets || {};
  return {
    ...data,
    facets: {
      category: facets.category || [],
      // A price bucket's bounds come as from/to; the apps filter with minPrice/maxPrice.
      price: (facets.price || []).map((b) => ({
        key: b.key,
        count: b.count,
        min: b.from ?? b.min ?? null,
        max: b.to ?? b.max ?? null,
      })),
    },
  };
}

/** The catalog's categories, most products first (from the search facets; [] if search is down). */
export async function categories() {
  try {
    return (await search({ pageSize: 1 })).facets.category.map((f) => f.value);
  } catch {
    return [];
  }
}

export const reviews = {
  list: (productId, query) => request('GET', `/api/products/${enc(productId)}/reviews`, { query }),
  create: (productId, { rating, title = '', text = '' }) =>
    request('POST', `/api/products/${enc(productId)}/reviews`, { body: { rating, title, text } }).then(
      (d) => d.review,
    ),
  hide: (id) => request('POST', `/api/reviews/${enc(id)}/hide`).then((d) => d.review),
};

export const cart = {
  get: () => request('GET', '/api/cart').then((d) => d.cart),
  add: (productId, quantity = 1) =>
    request('POST', '/api/cart/items', { body: { productId, quantity } }).then((d) => d.cart),
  setQuantity: (productId, quantity) =>
    request('PUT', `/api/cart/items/${enc(productId)}`, { body: { quantity } }).then((d) => d.cart),
  remove: (productId) => request('DELETE', `/api/cart/items/${enc(productId)}`).then((d) => d?.cart),
  checkout: ({ cardNumber, shippingAddress }) =>
    request('POST', '/api/cart/checkout', { body: { cardNumber, shippingAddress } }).then((d) => d.order),
};

export const orders = {
  list: (query) => request('GET', '/api/orders', { query }),
  get: (id) => request('GET', `/api/orders/${enc(id)}`).then((d) => d.order),
  cancel: (id) => request('POST', `/api/orders/${enc(id)}/cancel`).then((d) => d.order),
  dispatch: (id) => request('POST', `/api/shipments/${enc(id)}/dispatch`),
};

export const notifications = {
  list: (userId, query) => request('GET', `/api/notifications/user/${enc(userId)}`, { query }),
  markRead: (userId, id) => request('POST', `/api/notifications/user/${enc(userId)}/${enc(id)}/read`),
  markAllRead: (userId) => request('POST', `/api/notifications/user/${enc(userId)}/read`),
};

export const users = {
  list: (query) => request('GET', '/api/users', { query }),
  update: (id, fields) => request('PATCH', `/api/users/${enc(id)}`, { body: fields }).then((d) => d.user),
  remove: (id) => request('DELETE', `/api/users/${enc(id)}`),
};

export const analytics = {
  summary: (query) => request('GET', '/api/analytics/summary', { query }),
};
