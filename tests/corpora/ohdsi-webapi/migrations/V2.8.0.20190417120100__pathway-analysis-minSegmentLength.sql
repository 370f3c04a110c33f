ALTER TABLE ${ohdsiSchema}.pathway_analysis ADD COLUMN min_segment_length INTEGER;
