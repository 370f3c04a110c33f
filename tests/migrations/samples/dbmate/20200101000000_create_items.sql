-- Items of the catalogue (comments may come before the up block).
-- migrate:up
CREATE TABLE items (
    id serial PRIMARY KEY,
    name text NOT NULL
);

-- migrate:down
DROP TABLE items;
