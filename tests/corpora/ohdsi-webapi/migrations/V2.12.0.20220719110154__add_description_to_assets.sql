ALTER TABLE ${ohdsiSchema}.pathway_analysis ADD description varchar(1000) NULL;
ALTER TABLE ${ohdsiSchema}.concept_set ADD description varchar(1000) NULL;
ALTER TABLE ${ohdsiSchema}.cohort_characterization ADD description varchar(1000) NULL;