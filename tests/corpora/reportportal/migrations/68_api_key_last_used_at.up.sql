ALTER TABLE public.api_keys
    ADD COLUMN last_used_at DATE;