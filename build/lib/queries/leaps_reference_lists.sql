-- The subjects the LEAPS rules know (configuration), for pickers and validation.
-- level: reference
-- scope: none
SELECT subject, from_grade, to_grade FROM leaps_subject ORDER BY subject;
