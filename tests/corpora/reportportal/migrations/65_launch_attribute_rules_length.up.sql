ALTER TABLE launch_attribute_rules ALTER COLUMN key TYPE varchar(512);
ALTER TABLE launch_attribute_rules ALTER COLUMN value TYPE varchar(512);