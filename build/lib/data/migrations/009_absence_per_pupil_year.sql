-- Version 9: a summary of absence per pupil and school year (the sum of the months), kept by the
-- writers of `absence` (the demo builder, the absence import and its rollback; data/derived_absence.sql).
-- Every screen that needs a pupil's absence percentage reads this instead of summing eleven
-- months of rows per request; only the month chart reads `absence` itself.
CREATE TABLE absence_year (
    school_year       VARCHAR NOT NULL,
    student_key       VARCHAR NOT NULL,
    institution_no    VARCHAR,
    school_days       SMALLINT NOT NULL,
    illness_days      DECIMAL(5,1) NOT NULL,
    authorised_days   DECIMAL(5,1) NOT NULL,
    unauthorised_days DECIMAL(5,1) NOT NULL,
    months            TINYINT NOT NULL
);
INSERT INTO absence_year
SELECT school_year, student_key, institution_no, sum(school_days), sum(illness_days), sum(authorised_days),
       sum(unauthorised_days), count(*)
FROM absence GROUP BY ALL
ORDER BY school_year, institution_no, student_key;
