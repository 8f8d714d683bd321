-- One shipment per order, with its tracking id.
CREATE TABLE IF NOT EXISTS shipments (
    order_id      text        PRIMARY KEY,
    tracking_id   text        NOT NULL UNIQUE,
    user_id       text        NOT NULL,
    address       text        NOT NULL,
    status        text        NOT NULL
                  CHECK (status IN ('scheduled', 'failed', 'voided', 'cancelled', 'dispatched')),
    reason        text        NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    dispatched_at timestamptz
);
