CREATE OR REPLACE VIEW customer_totals AS
SELECT c.id, c.name, coalesce(sum(i.total), 0) AS total
FROM customers c LEFT JOIN invoices i ON i.customer_id = c.id
GROUP BY c.id, c.name;
