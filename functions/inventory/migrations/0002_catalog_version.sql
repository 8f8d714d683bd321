-- The catalog version a stock row last took its figure from: an admin's stock change
-- (shop.product.updated.v1) applies only when it is newer, so a late event never undoes it.
ALTER TABLE inventory_stock ADD COLUMN IF NOT EXISTS catalog_version integer NOT NULL DEFAULT 0;
