-- Extensions the schema needs (trigram search on post titles).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
