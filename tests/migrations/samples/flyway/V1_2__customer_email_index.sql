CREATE INDEX CONCURRENTLY customers_email_idx ON customers (email);
