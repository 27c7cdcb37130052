# Places: the gazetteer's words (nearest place, directions, map labels and search).
# Terms that carry politics follow docs/glossary.md.

# The nearest place of the gazetteer to a point: "4 km NE of Debaltseve"; within a kilometre, "in Debaltseve".
place-near = { $km } km { $direction } of { $place }
place-in = in { $place }
place-region = { $place }, { $region }
direction-n = N
direction-ne = NE
direction-e = E
direction-se = SE
direction-s = S
direction-sw = SW
direction-w = W
direction-nw = NW
# The map and the observe form: finding a place by its name.
place-search = Find a place
place-search-hint = A town or village of 1,000 people or more, by its name in any of the three languages.
place-search-none = No place of that name in the gazetteer.
places-credit = Places: GeoNames (CC BY 4.0)
