# Places: the gazetteer's words (nearest place, directions, map labels and search).
# Terms that carry politics follow docs/glossary.md.

place-near = { $km } км { $direction } від н. п. { $place }
place-in = н. п. { $place }
place-region = { $place }, { $region }
direction-n = на північ
direction-ne = на північний схід
direction-e = на схід
direction-se = на південний схід
direction-s = на південь
direction-sw = на південний захід
direction-w = на захід
direction-nw = на північний захід
place-search = Знайти населений пункт
place-search-hint = Місто чи село з населенням від 1000 осіб, за назвою будь-якою з трьох мов.
place-search-none = У довіднику немає населеного пункту з такою назвою.
places-credit = Населені пункти: GeoNames (CC BY 4.0)
