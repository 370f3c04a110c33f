DROP TABLE IF exists public.onboarding;
