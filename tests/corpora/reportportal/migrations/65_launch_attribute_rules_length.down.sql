ALTER TABLE launch_attribute_rules ALTER COLUMN key TYPE varchar(256);
ALTER TABLE launch_attribute_rules ALTER COLUMN value TYPE varchar(256);