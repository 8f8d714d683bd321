-- Stock of record for reservations (FerretDB cannot make a conditional $inc atomic; see
-- functions/inventory/store.py), seeded per product from the catalog on first use.
CREATE TABLE IF NOT EXISTS inventory_stock (
    product_id text        PRIMARY KEY,
    stock      integer     NOT NULL CHECK (stock >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One reservation per order: redelivered requests find it and answer as before.
CREATE TABLE IF NOT EXISTS inventory_reservations (
    order_id   text        PRIMARY KEY,
    status     text        NOT NULL CHECK (status IN ('reserved', 'rejected', 'voided', 'released')),
    items      jsonb       NOT NULL,
    reason     text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
