ALTER TABLE owned_entity
    DROP COLUMN IF EXISTS locked;
