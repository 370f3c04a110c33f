CREATE SCHEMA audit;
-- Diesel restores the search path after each migration: the next one is unaffected.
SET search_path TO audit;
CREATE TABLE log (id SERIAL PRIMARY KEY, message TEXT NOT NULL);
