DROP TABLE IF EXISTS analytics_data;
