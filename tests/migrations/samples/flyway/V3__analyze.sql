INSERT INTO customers (name) VALUES ('first');
VACUUM ANALYZE customers;
