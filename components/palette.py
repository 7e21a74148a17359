"""One colour, one meaning, across the app (Okabe-Ito based: safe for colour-blind readers;
text colours darkened to at least 4.5:1 contrast on white)."""

SCHOOL = "#0072B2"        # the school
MUNICIPALITY = "#E69F00"  # the municipality
COUNTRY = "#555555"       # the country

BETTER = "#005A8C"        # a difference larger than noise, in the good direction (blue)
WORSE = "#A63D00"         # a difference larger than noise, in the bad direction (dark vermillion)
NEUTRAL = "#4D4D4D"       # within noise

# Absence kinds (a different hue family from the three levels above).
ABSENCE_KINDS = ["#56B4E9", "#CC79A7", "#1A1A1A"]  # sygdom, med tilladelse, ulovligt

# Ordered levels from best to worst (answers, test bands): blue through orange, never red/green.
BEST_TO_WORST_3 = [BETTER, "#7FB2D5", "#E69F00"]
BEST_TO_WORST_4 = [BETTER, "#7FB2D5", "#E69F00", WORSE]
