ALTER TABLE public.api_keys
    DROP COLUMN last_used_at;