-- The institution numbers of one municipality's schools (to build a kommune user's scope).
-- level: reference
-- scope: none
SELECT institution_no, municipality_code FROM school WHERE municipality_code = $municipality;
