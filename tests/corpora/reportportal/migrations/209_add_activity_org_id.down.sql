ALTER TABLE activity DROP COLUMN organization_id;
