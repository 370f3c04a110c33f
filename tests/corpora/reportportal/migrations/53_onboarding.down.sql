drop table onboarding;
