-- The order saga's state per order; `version` is the optimistic-concurrency guard.
CREATE TABLE IF NOT EXISTS sagas (
    order_id   text        PRIMARY KEY,
    phase      text        NOT NULL,
    version    integer     NOT NULL,
    state      jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- The tick looks for sagas waiting too long in a phase.
CREATE INDEX IF NOT EXISTS sagas_waiting ON sagas (updated_at)
    WHERE phase NOT IN ('SHIPPED', 'CANCELLED', 'CONFIRMED');
