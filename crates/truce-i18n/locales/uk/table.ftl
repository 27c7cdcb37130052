# The Table's pages: stances, analysis, timeline, rehearsal, scenarios and positions.
# Terms that carry politics follow docs/glossary.md.

# The timeline: the period before the first statement on file.
timeline-nothing-on-file = Ще нічого не зафіксовано
