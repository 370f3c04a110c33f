-- The inventory's schema, loaded once per session into pgtdd's template (pytest.ini).
CREATE TABLE items (
    sku text PRIMARY KEY,
    name text NOT NULL,
    on_hand integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0)
);

CREATE TABLE stock_moves (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku text NOT NULL REFERENCES items,
    quantity integer NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
