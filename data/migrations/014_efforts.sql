-- Version 14: the school's efforts (indsatser): what the school tried and when (a new talk model, a
-- reading effort, the LEAPS start), and which indicators it aims at. The leadership keeps the
-- register; the trend charts of those indicators draw each effort as a labelled vertical rule, and
-- the minutes and the data package list them. `indicators` holds keys of
-- components.efforts.INDICATORS (e.g. wellbeing_generel, absence_total_pct).
CREATE TABLE effort (
    effort_id      VARCHAR PRIMARY KEY,
    institution_no VARCHAR NOT NULL,
    name           VARCHAR NOT NULL,
    starts_on      DATE NOT NULL,
    ends_on        DATE,
    indicators     VARCHAR[] NOT NULL,
    description    VARCHAR,
    updated_by     VARCHAR NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
