# Places: the gazetteer's words (nearest place, directions, map labels and search).
# Terms that carry politics follow docs/glossary.md.

place-near = { $km } км { $direction } от н. п. { $place }
place-in = н. п. { $place }
place-region = { $place }, { $region }
direction-n = к северу
direction-ne = к северо-востоку
direction-e = к востоку
direction-se = к юго-востоку
direction-s = к югу
direction-sw = к юго-западу
direction-w = к западу
direction-nw = к северо-западу
place-search = Найти населённый пункт
place-search-hint = Город или село с населением от 1000 человек, по названию на любом из трёх языков.
place-search-none = В справочнике нет населённого пункта с таким названием.
places-credit = Населённые пункты: GeoNames (CC BY 4.0)
