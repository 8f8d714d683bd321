// Display helpers shared by the four apps: money, dates, ratings, facets and filters.

const moneyFormats = new Map();

export function money(amount, currency = 'USD') {
  if (!moneyFormats.has(currency)) {
    moneyFormats.set(currency, new Intl.NumberFormat('en-US', { style: 'currency', currency }));
  }
  return moneyFormats.get(currency).format(Number(amount) || 0);
}

export function dateTime(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** "★★★★☆" for 4.2; screen readers get `ratingLabel` instead. */
export function stars(rating) {
  const full = Math.round(Number(rating) || 0);
  return '★'.repeat(full) + '☆'.repeat(Math.max(0, 5 - full));
}

export function ratingLabel(rating, count) {
  const value = (Number(rating) || 0).toFixed(1);
  return count === undefined ? `${value} out of 5` : `${value} out of 5 from ${count} review${count === 1 ? '' : 's'}`;
}

export const SORTS = [
  ['newest', 'Newest'],
  ['price-asc', 'Price: low to high'],
  ['price-desc', 'Price: high to low'],
  ['rating', 'Best rated'],
];

export const SEARCH_SORTS = [['relevance', 'Relevance'], ...SORTS];

/** The category choices: the catalog's, plus the selected one if the catalog no longer has it. */
export function categoryOptions(categories, selected) {
  return [...new Set([selected, ...(categories || [])].filter(Boolean))];
}

/** A price facet bucket as a label: "$50 - $100", "under $50", "$500+". */
export function priceBucketLabel(bucket) {
  if (bucket.min == null && bucket.max != null) return `under ${money(bucket.max)}`;
  if (bucket.max == null && bucket.min != null) return `${money(bucket.min)} and up`;
  return `${money(bucket.min)} – ${money(bucket.max)}`;
}

/** Wider than a phone: panels such as the filters start open there, folded on a phone. */
export function wideScreen() {
  return globalThis.matchMedia?.('(min-width: 701px)').matches ?? true;
}

/** Form values (strings) as API query parameters: empty ones dropped, numbers as numbers. */
export function cleanQuery(values) {
  const out = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === '' || value === null || value === undefined || value === false) continue;
    out[key] = value;
  }
  return out;
}

/** Split product form input: specifications typed as "key: value" lines. */
export function parseSpecs(text) {
  const specs = {};
  for (const line of String(text || '').split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) specs[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return specs;
}

/** The admin's product form: empty, or filled from a product. */
export function productForm(product) {
  if (!product) return { name: '', description: '', price: '', category: '', stock: '', specs: '' };
  const { name, description, price, category, stock } = product;
  return { name, description, price, category, stock, specs: specsText(product.specifications) };
}

/** The product form's values as the API's create/update body. */
export function productFields(form) {
  const { name, description, category } = form;
  return { name, description, category, price: Number(form.price), stock: Number(form.stock), specifications: parseSpecs(form.specs) };
}

export function specsText(specs) {
  return Object.entries(specs || {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

/** An error as one sentence for an alert. */
export function errorText(error) {
  return error?.message || String(error || 'something went wrong');
}
