"""Understanding French date talk, as a late payer says it on the phone.

Standard library only: this module runs unchanged in CPython 3.12+ and in Pyodide.

Public API
----------
``parse_date(text, today=None) -> dict``
    ``{"precision": P, "start": D1, "end": D2, "time": T, "text": matched}``

    * ``P`` is ``"exact"`` (one calendar day), ``"range"`` (a bounded span),
      ``"vague"`` (date talk with no usable day) or ``"none"`` (no date talk).
    * ``D1``/``D2`` are ISO dates (``"2026-11-26"``) or ``None``. For ``exact``
      ``D1 == D2``; for ``range`` both are set; for ``vague`` both are ``None``
      except for open-ended talk ("à partir du 10", "pas avant lundi") where
      ``D1`` is the earliest day said and ``D2`` is ``None``.
    * ``T`` is the time of day said, ``"HH:MM"``, or ``None``.
    * ``matched`` is the substring of the *original* input that carried the
      chosen mention ("" for ``none``).

``format_date_fr(d, with_year=False) -> str``
    ``"jeudi 26 novembre"``, ``"mardi 1er décembre"`` (accepts a ``date`` or an ISO string).
``format_time_fr("14:30") -> "14 h 30"``; ``"12:00" -> "midi"``.
``format_result_fr(result) -> str``
    a French phrase for a ``parse_date`` result ("le jeudi 26 novembre à midi",
    "entre le lundi 30 novembre et le dimanche 6 décembre", "sans date précise").

Design rules for ambiguous talk (the tests pin each of them)
------------------------------------------------------------
* **Several mentions in one text**: the most precise wins (exact > range >
  vague); among equals a mention that is not in the past wins, then the *last*
  one (people correct themselves: "demain, non, plutôt jeudi").
  "jeudi ou vendredi", "entre lundi et mercredi", "du 5 au 10" are ranges.
* **Negation**: "pas demain", "je ne peux pas payer jeudi" make that mention
  vague (so "pas demain mais jeudi" → jeudi). "pas avant jeudi", "à partir du
  10", "après le 10" (start = the 11th), "dès décembre", "lundi au plus tôt",
  "je ne pourrai rien faire avant janvier" are open-ended: vague with ``start`` set.
* **Weekdays** resolve to the next such day strictly after today ("lundi" said on
  a Monday = next Monday); "prochain"/"qui vient" change nothing; "ce jeudi" said
  on a Thursday is today; "jeudi en huit" = that next Thursday + 7 days, "en
  quinze" + 14; "jeudi de la semaine prochaine" = Thursday of next calendar week
  (weeks run Monday–Sunday); "lundi dernier" = the previous Monday.
  "jeudi 26": the day number wins if it disagrees with the weekday.
* **Day numbers**: "le 10" is this month if the 10th is today or later, else next
  month (skipping months without that day: "le 31" said in November = 31
  December). A day + month without a year ("le 2 novembre") is this year,
  unless that is more than ~6 months (183 days) in the past, then next year —
  so a recent past date stays in the past, "le 3 janvier" said in December is
  next January. Impossible dates ("31/02", "30 février") are vague.
* **Durations**: "dans 3 jours" / "dans une semaine" / "dans 2 mois" are exact
  (today + n); "dans huit jours" = +7 and "dans quinze jours" = +14 (French usage);
  "dans 48 heures" = +2 days, "dans 2 heures" = today. "d'ici / sous / dans les
  N jours" is the range today..today+N; "sous huitaine" = today..+8, "sous
  quinzaine" = today..+15; "dans une quinzaine (de jours)" = +12..+16,
  "dans 2 ou 3 jours" = +2..+3. "il y a 3 jours" is exact (in the past).
* **Deadlines** "avant / d'ici / jusqu'à / au plus tard / … dernier délai X" give the
  range today..X (end included, as said: "avant vendredi" ends on Friday);
  "avant décembre"/"avant la semaine prochaine" end the day before that period.
  If that collapses to one day ("d'ici ce soir") it is exact. "jeudi ou vendredi
  au plus tard" = Thursday..Friday.
  "vers le 10" / "aux alentours du 10" = range ±2 days ("vers jeudi" ±1).
* **Periods** (clipped so they never start before today when today is inside):
  week = Monday..Sunday; "cette semaine"/"dans la semaine" = today..Sunday (said on a
  weekend: next week); "début de semaine" = Mon–Wed, "milieu" = Tue–Thu, "fin" =
  Thu–Sun; a part already over means next week's. Month: "début" = 1–10, "mi-" /
  "milieu" = 11–20, "fin" = 21–last day ("fin du mois" said on 23 Nov =
  23–30 Nov); "courant décembre"/"en décembre" = the whole month; a month named
  alone follows the 6-month rule ("en janvier" said in November = next January).
  Quarter/half ("fin du trimestre", "au premier trimestre"): first/middle/last month.
  Year: "début" = Jan–Feb, "milieu" = Jun–Jul, "fin" = December. Week-end =
  Saturday–Sunday; "les fêtes" = 24 Dec–1 Jan; Noël, jour de l'an, Pâques … are days.
  "la semaine qui vient" = today..today+6; "dans le mois" / "ce mois-ci" = today..month end.
* **Today**: "aujourd'hui", "ce matin", "ce soir", "cet après-midi", "tout à
  l'heure", "tout de suite", "dans la matinée", "après le déjeuner" … are exact
  today. Parts of the day give no time ("demain matin" → time ``None``) except
  "midi" (12:00) and "minuit" (00:00). A time said alone ("à 14 h", "avant 10
  heures") is today at that time; said apart from a day in the same sentence
  ("jeudi, et je vous rappelle à 14 h") it goes with the nearest day. "vers 10 h"
  gives "10:00". Hours 1–6 said without "du matin" are afternoon ("à 2 heures" =
  14:00). "entre 14 h et 16 h" keeps the first time.
* **Never a date**: amounts, percentages, invoice/cheque/phone numbers, counts of
  things ("3 factures"), fractions ("les 3/4"), payment terms ("à 45 jours fin de
  mois"), "je vous rappelle que …"; only numbers in a date shape or after a date
  word count.
"""

from __future__ import annotations

import datetime as _dt
import bisect as _bisect
import unicodedata as _ud

from . import lazy_re as _lazy_re

__all__ = [
    "parse_date",
    "format_date_fr",
    "format_time_fr",
    "format_result_fr",
    "WEEKDAYS_FR",
    "MONTHS_FR",
    "working_day",
    "last_working_day",
    "working_days_after",
]

WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")

_ONE = _dt.timedelta(days=1)
_PAST_ROLL_DAYS = 183  # a day/month more than this far in the past means next year

# --------------------------------------------------------------------------
# Normalisation: lowercase, no accents, ' and - unified, whitespace -> ' '.
# The fast path keeps a 1:1 character mapping with the original text so that
# spans found in the normalised text slice the original directly.
# --------------------------------------------------------------------------


def _build_table() -> dict:
    table = {}
    for cp in range(0x41, 0x5B):
        table[cp] = chr(cp + 32)
    for cp in list(range(0, 0x20)) + [0x7F] + list(range(0x80, 0xA0)):
        table[cp] = " "
    for cp in list(range(0xA0, 0x250)) + list(range(0x1D00, 0x1DC0)) + \
            list(range(0x2070, 0x20A0)) + list(range(0xFF01, 0xFF5F)) + \
            list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = "".join(c for c in _ud.normalize("NFKD", ch) if not _ud.combining(c)).lower()
        if len(base) == 1 and base.isascii():
            if base.isspace() or ord(base) < 0x20:
                base = " "
            table[cp] = base
    for cp in (0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0x200B, 0x200C, 0x200D,
               0x2060, 0xFEFF, 0x85) + tuple(range(0x2000, 0x200B)):
        table[cp] = " "
    for cp in (0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x2035, 0xB4, 0x60, 0x2BC, 0x2B9,
               0x2BB, 0x2BD, 0xFF07):
        table[cp] = "'"
    for cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE63, 0xFF0D, 0xAD):
        table[cp] = "-"
    table[0x153] = "o"   # œ (no date word uses it; keeps the 1:1 mapping)
    table[0x152] = "o"
    table[0xE6] = "a"
    table[0xC6] = "a"
    return table


_TABLE = _build_table()


_CTRL_RX = _lazy_re.compile(r"[\x00-\x1f\x7f]")


_SPACES_RX = _lazy_re.compile(r" {2,}")


def _normalize(text: str):
    """Return (normalised text, span mapper or None).

    The mapper turns a (start, end) span of the normalised text into the span of the
    original text; None means the mapping is the identity.
    """
    if text.isascii():
        norm = text.lower()
        if _CTRL_RX.search(norm):
            norm = _CTRL_RX.sub(" ", norm)
    else:
        norm = text.translate(_TABLE)
    idx = None
    if not norm.isascii() and any(_ud.combining(c) for c in norm):
        chars = []
        idx = []
        for i, c in enumerate(norm):
            if _ud.combining(c):
                continue
            chars.append(c)
            idx.append(i)
        norm = "".join(chars)
    # collapse runs of spaces, remembering where text was removed
    brk_pos = []   # positions in the collapsed text ...
    brk_shift = []  # ... from which this many characters had been removed
    if "  " in norm:
        parts = []
        last = 0
        removed = 0
        for m in _SPACES_RX.finditer(norm):
            parts.append(norm[last:m.start() + 1])
            removed += m.end() - m.start() - 1
            brk_pos.append(m.start() + 1 - (removed - (m.end() - m.start() - 1)))
            brk_shift.append(removed)
            last = m.end()
        parts.append(norm[last:])
        norm = "".join(parts)
    if idx is None and not brk_pos:
        return norm, None

    def to_orig(i):
        if brk_pos:
            k = _bisect.bisect_right(brk_pos, i)
            if k:
                i += brk_shift[k - 1]
        if idx is not None:
            i = idx[i]
        return i

    def mapper(s, e):
        return to_orig(s), to_orig(e - 1) + 1

    return norm, mapper


# --------------------------------------------------------------------------
# Pattern building. Mini-syntax: ' ' = one or more spaces, '~' = optional
# space/hyphen, "'" = apostrophe, space or nothing.
# --------------------------------------------------------------------------


def _src(s: str) -> str:
    return s.replace("'", r"(?:'\s*|\s*)").replace("~", r"[\s-]*").replace(" ", r"\s+")


def _c(s: str):
    return _lazy_re.compile(_src(s))


_WD_RX = "(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_WD_IDX = {n: i for i, n in enumerate(("lundi", "mardi", "mercredi", "jeudi", "vendredi",
                                         "samedi", "dimanche"))}
_MONTH_NUM = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "janv": 1, "jan": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_FULL_RX = "(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)"
_MONTH_ANY_RX = ("(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|"
                 "novembre|decembre|janv|fevr|fev|avr|juil|sept|sep|oct|nov|dec|jan)")
_MDOT = r"(?:(?<=janv|fevr|juil|sept)\.|(?<=jan|fev|avr|sep|oct|nov|dec)\.)?"  # "déc."
_UNIT_W = "(?:dix|onze|douze|treize|quatorze|quinze|seize|une|un|deux|trois|quatre|cinq|six|sept|huit|neuf)"
_NUMW = ("(?:(?:quatre~vingts?|vingt|trente|quarante|cinquante|soixante)(?:~et)?(?:~" + _UNIT_W + "){0,2}"
         "|dix~(?:sept|huit|neuf)|onze|douze|treize|quatorze|quinze|seize|une|un|deux|trois|quatre"
         "|cinq|six|sept|huit|neuf|dix)\\b")
_NUM = "(?:\\d{1,3}(?!\\d)|" + _NUMW + ")"
_DDAY = "(?:1(?:ere|er|re)|\\d{1,2})\\b"          # digit day
_WDAY = "(?:premiere|premier|" + _NUMW + ")"      # day in words

_NUMVAL = {
    "un": 1, "une": 1, "premier": 1, "premiere": 1, "deux": 2, "trois": 3, "quatre": 4,
    "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11,
    "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
    "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
}
_SPLIT_RX = _lazy_re.compile(r"[\s-]+")


_CANON_RX = _lazy_re.compile(r"[\s'-]+")


def _canon(s: str) -> str:
    """'jusqu'au', 'jusqu  au' -> 'jusqu au' (apostrophes, hyphens and runs of spaces -> one space)."""
    return _CANON_RX.sub(" ", s or "").strip()


def _num(s) -> int | None:
    if s is None:
        return None
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if s in ("1er", "1re", "1ere"):
        return 1
    toks = [t for t in _SPLIT_RX.split(s) if t and t != "et"]
    total = 0
    i = 0
    while i < len(toks):
        t = toks[i]
        if t == "quatre" and i + 1 < len(toks) and toks[i + 1] in ("vingt", "vingts"):
            total += 80
            i += 2
            continue
        v = _NUMVAL.get(t)
        if v is None:
            return None
        total += v
        i += 1
    return total or None


# What may not follow a number for it to be a day ("le 15 euros", "le 3 000").
_NOT_DAY_AFTER = _c(
    r"\s*(?:[\d%€$£]|[.,/:-]\s*\d|°|h\b|h\d|heures?\b|euros?\b|eur\b|e\b|eme\b|ieme\b|k\b|ke\b|"
    r"pour~cent|pourcents?\b|fois\b|jours?\b|semaines?\b|mois\b|ans?\b|annees?\b|"
    r"rue\b|avenue\b|av\b|bd\b|boulevard\b|place\b|chemin\b|allee\b|impasse\b|route\b|quai\b|"
    r"bis\b|ter\b|factures?\b|palettes?\b|cheques?\b|pieces?\b|articles?\b|colis\b|unites?\b|"
    r"exemplaires?\b|kg\b|g\b|km\b|m\b|cm\b|l\b|litres?\b|minutes?\b|min\b|mn\b|personnes?\b|"
    r"salaries?\b|clients?\b|fournisseurs?\b|commandes?\b|lignes?\b|mille\b|cents?\b|"
    r"millions?\b|milliers?\b|centimes?\b|references?\b|lots?\b|cartons?\b|produits?\b|"
    r"versements?\b|mensualites?\b|echeances?\b|relances?\b|numeros?\b|x\b|trimestres?\b|semestres?\b|"
    r"paiements?\b|reglements?\b|rappels?\b|acomptes?\b|avis\b|etages?\b|arrondissements?\b|"
    r"prix\b|tours?\b|fournisseurs?\b|dossiers?\b|contrats?\b|devis\b|avoirs?\b|bons?\b|"
    r"categories?\b|niveaux?\b|rangs?\b|points?\b|etapes?\b|rendez~vous\b|courriers?\b|mails?\b|"
    r"lettres?\b|appels?\b|octets?\b|exercices?\b|bilans?\b)")


def _day_ok_after(norm: str, pos: int) -> bool:
    return _NOT_DAY_AFTER.match(norm, pos) is None


# --------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------


def _month_end(y: int, m: int) -> int:
    if m == 12:
        return 31
    return (_dt.date(y, m + 1, 1) - _ONE).day


def _add_months(d: _dt.date, n: int) -> _dt.date:
    k = d.month - 1 + n
    y = d.year + k // 12
    m = k % 12 + 1
    return _dt.date(y, m, min(d.day, _month_end(y, m)))


def _next_wd(today: _dt.date, wd: int) -> _dt.date:
    delta = (wd - today.weekday()) % 7 or 7
    return today + _dt.timedelta(days=delta)


def _monday(d: _dt.date) -> _dt.date:
    return d - _dt.timedelta(days=d.weekday())


def _roll(today: _dt.date, month: int, day: int) -> _dt.date | None:
    """Day + month without a year (see module doc)."""
    try:
        d = _dt.date(today.year, month, day)
    except ValueError:
        return None
    if (today - d).days > _PAST_ROLL_DAYS:
        try:
            d = _dt.date(today.year + 1, month, day)
        except ValueError:
            return None
    return d


def _bare_day(today: _dt.date, day: int) -> _dt.date | None:
    if not 1 <= day <= 31:
        return None
    y, m = today.year, today.month
    if day < today.day:
        m += 1
    for _ in range(3):
        if m > 12:
            y, m = y + 1, m - 12
        if day <= _month_end(y, m):
            return _dt.date(y, m, day)
        m += 1
    return None


def _month_year(today: _dt.date, month: int) -> int:
    """Year of a month named without a year (same 6-month rule, on its last day)."""
    last = _dt.date(today.year, month, _month_end(today.year, month))
    if (today - last).days > _PAST_ROLL_DAYS:
        return today.year + 1
    return today.year


def _easter(y: int) -> _dt.date:
    a = y % 19
    b, c = divmod(y, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return _dt.date(y, month, day + 1)


def _clip(today, a, b):
    """Clip a period that contains today so that it starts today."""
    if a < today <= b:
        a = today
    return a, b


# --------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------

_EXACT, _RANGE, _OPEN, _VAGUE = "exact", "range", "open", "vague"
# kinds
_DATE, _TIME, _MOD, _MODDAY, _VAG = "date", "time", "mod", "modday", "vag"


class _M:
    __slots__ = ("s", "e", "p", "d1", "d2", "t", "kind", "wd", "week", "unit", "prio",
                 "approx", "used", "deadline", "extend", "core_e")

    def __init__(self, s, e, p, d1=None, d2=None, t=None, kind=_DATE, prio=50):
        self.s = s
        self.e = e
        self.p = p
        self.d1 = d1
        self.d2 = d2
        self.t = t
        self.kind = kind
        self.prio = prio
        self.wd = None       # bare weekday index (for "la semaine prochaine, mardi")
        self.week = None     # (monday, sunday) of a week mention
        self.unit = False    # a whole period (for "avant décembre")
        self.approx = "day"  # "wd" for weekdays ("vers jeudi" = ±1)
        self.used = False
        self.deadline = False  # came from "avant X" / "d'ici X" (negated: open from X)
        self.extend = False    # vague clause whose text runs to the end of the clause
        self.core_e = None     # end of the mention before a postfix ("… au plus tard") was added


def _exact(s, e, d, t=None, prio=50):
    return _M(s, e, _EXACT, d, d, t, _DATE, prio)


def _range(s, e, a, b, prio=50, unit=False):
    if a > b:
        a, b = b, a
    m = _M(s, e, _RANGE, a, b, None, _DATE, prio)
    m.unit = unit
    return m


# ---- handlers -------------------------------------------------------------

_PATTERNS = []  # (compiled, handler, prio, triggers)


def _pat(src, prio=50, need=None):
    """Register a pattern; ``need`` lists substrings one of which every match contains
    (the pattern is skipped when none occurs in the text: a cheap speed-up)."""
    def deco(fn):
        _PATTERNS.append((_c(src), fn, prio, tuple(need) if need else None))
        return fn
    return deco


# Triggers are whole words of the normalised text ("#" = any digit).
_T_WD = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_T_MONTH = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
            "octobre", "novembre", "decembre", "janv", "jan", "fevr", "fev", "avr", "juil", "sept",
            "sep", "oct", "nov", "dec")
_T_DIGIT = ("#",)
_T_PART = ("matin", "matinee", "soir", "soiree", "nuit", "midi", "aprem", "journee", "heure", "heures",
           "minuit")
_T_NUMW = ("#", "un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
           "onze", "douze", "treize", "quatorze", "quinze", "seize", "vingt", "trente", "premier",
           "premiere", "er", "re", "ere")


# Relative days -----------------------------------------------------------

_REL = {"aujourd'hui": 0, "aujourdhui": 0, "ajd": 0, "auj": 0, "demain": 1, "hier": -1}


@_pat(r"\b(?P<w>aujourd'hui|ajd|auj|apres~demain|avant~hier|demain|hier)\b"
      r"(?P<huit> en (?:huit|8|quinze|15)\b)?(?P<meme>~meme\b)?", 60, need=("demain", "hier", "auj", "ajd", "aujourd", "aujourdhui", "apresdemain",
                                   "avanthier"))
def _h_relday(m, today, norm):
    w = m.group("w")
    if w.startswith("apres"):
        n = 2
    elif w.startswith("avant"):
        n = -2
    elif w.startswith("aujourd") or w in ("ajd", "auj"):
        n = 0
    else:
        n = _REL[w]
    if m.group("huit"):
        n += 14 if ("quinze" in m.group("huit") or "15" in m.group("huit")) else 7
    return _exact(m.start(), m.end(), today + _dt.timedelta(days=n))


@_pat(r"\b(?:ce|cet|cette) (?P<w>matin|matinee|soir|soiree|nuit|apres~midi|aprem|midi)\b", 60, need=_T_PART)
def _h_this_part(m, today, norm):
    return _exact(m.start(), m.end(), today, "12:00" if m.group("w") == "midi" else None)


@_pat(r"\b(?:a |des |jusqu'a )?tout a l'heure\b|\btout de suite\b|\bimmediatement\b|\btantot\b"
      r"|\bdans l'heure\b|\bdans la (?:demi~)?heure\b|\bdes (?:maintenant|a present)\b"
      r"|\bsur le champ\b|\bdans la foulee\b|\bdans la minute\b|\bdes que je raccroche\b"
      r"|\bapres (?:le |mon |ma |la |notre )?(?:dejeuner|dej|repas|pause (?:de )?midi|pause~dej|"
      r"manger|reunion)\b|\b(?:des|avant|d'ici) ce soir\b|\bd'ici la fin de (?:la )?journee\b"
      r"|\bavant la fin de (?:la )?journee\b", 55, need=("heure", "suite", "immediatement", "tantot", "maintenant", "present", "champ", "foulee", "minute", "raccroche", "dej", "dejeuner", "repas", "pause", "manger", "reunion", "soir", "journee"))
def _h_today_misc(m, today, norm):
    return _exact(m.start(), m.end(), today)


@_pat(r"\b(?:le )?(?P<w>lendemain|surlendemain)\b", 40, need=("lendemain", "surlendemain"))
def _h_lendemain(m, today, norm):
    return _M(m.start(), m.end(), _VAGUE, kind=_VAG)


# Weekdays ---------------------------------------------------------------

@_pat(r"\b(?:(?P<ce>ce|cette) |le )?(?P<wd>" + _WD_RX + r")\b"
      r"(?: (?P<suf>prochain|pro|qui vient|d'apres|suivant|en (?:huit|quinze|8|15)|"
      r"dernier(?! delai)|passe|(?:de |dans )?(?:la |cette )semaine(?: (?:prochaine|pro|suivante|"
      r"d'apres|derniere|passee|qui vient))?)\b)?", 50, need=_T_WD)
def _h_weekday(m, today, norm):
    wd = _WD_IDX[m.group("wd")]
    suf = m.group("suf") or ""
    d = _next_wd(today, wd)
    if not suf and not m.group("ce"):   # the common case: a bare weekday
        r = _exact(m.start(), m.end(), d)
        r.approx = "wd"
        r.wd = wd
        return r
    bare = False
    if m.group("ce") and wd == today.weekday() and not suf:
        d = today
    if suf.startswith("en "):
        d += _dt.timedelta(days=14 if ("quinze" in suf or "15" in suf) else 7)
    elif _canon(suf) in ("d apres", "suivant"):
        d += _dt.timedelta(days=7)
    elif suf in ("dernier", "passe"):
        d = today - _dt.timedelta(days=((today.weekday() - wd) % 7 or 7))
    elif "semaine" in suf:
        mon = _monday(today)
        if any(w in _canon(suf) for w in ("prochaine", "pro", "suivante", "d apres", "qui vient")):
            mon += _dt.timedelta(days=7)
        elif any(w in suf for w in ("derniere", "passee")):
            mon -= _dt.timedelta(days=7)
        d = mon + _dt.timedelta(days=wd)
    elif not suf or _canon(suf) in ("prochain", "pro", "qui vient"):
        bare = not suf and not m.group("ce")
    r = _exact(m.start(), m.end(), d)
    r.approx = "wd"
    if bare:
        r.wd = wd
    return r


@_pat(r"\b(?:le )?(?P<wd>" + _WD_RX + r")(?: le)? (?:(?P<dd>" + _DDAY + r")(?:~(?P<m1>" +
      _MONTH_ANY_RX + r")\b" + _MDOT + r")?|(?P<dw>" + _WDAY + r")(?:~(?P<m2>" + _MONTH_FULL_RX +
      r")\b)?)(?: (?P<y>(?:19|20)\d\d)\b)?", 70, need=_T_WD)
def _h_wd_day(m, today, norm):
    if m.group("dw") in ("un", "une"):
        return None   # "lundi un virement"
    day = _num(m.group("dd") or m.group("dw"))
    mon = m.group("m1") or m.group("m2")
    if day is None or not 1 <= day <= 31:
        return None
    if not mon:
        if m.group("y") or not _day_ok_after(norm, m.end()):
            return None
        d = _bare_day(today, day)
    else:
        d = _ymd(today, m.group("y"), _MONTH_NUM[mon], day)
    if d is None:
        return _M(m.start(), m.end(), _VAGUE, kind=_DATE)
    return _exact(m.start(), m.end(), d)


def _ymd(today, y, month, day):
    if y:
        try:
            return _dt.date(int(y), month, day)
        except ValueError:
            return None
    return _roll(today, month, day)


# Day + month --------------------------------------------------------------

@_pat(r"(?<![\d.,/-])\b(?:(?P<art>le|au|du|ce|pour le|des le) )?(?:(?P<dd>" + _DDAY + r")~(?P<m1>" +
      _MONTH_ANY_RX + r")\b" + _MDOT + r"|(?P<dw>" + _WDAY + r")~(?P<m2>" + _MONTH_FULL_RX + r")\b)"
      r"(?: (?:(?P<y>(?:19|20)\d\d)\b(?![.,]\d)|(?P<next>prochain)\b|(?P<last>dernier)\b))?", 65, need=_T_MONTH)
def _h_day_month(m, today, norm):
    if m.group("dw") in ("un", "une"):
        return None   # "un septembre pluvieux"
    day = _num(m.group("dd") or m.group("dw"))
    month = _MONTH_NUM[m.group("m1") or m.group("m2")]
    if day is None:
        return None
    if not 1 <= day <= 31:
        return None
    if m.group("next"):
        try:
            d = _dt.date(today.year, month, day)
            if d <= today:
                d = _dt.date(today.year + 1, month, day)
        except ValueError:
            d = None
    elif m.group("last"):
        # "le 14 novembre dernier": the latest one already past.
        try:
            d = _dt.date(today.year, month, day)
            if d >= today:
                d = _dt.date(today.year - 1, month, day)
        except ValueError:
            d = None
    else:
        d = _ymd(today, m.group("y"), month, day)
    if d is None:
        return _M(m.start(), m.end(), _VAGUE, kind=_DATE)
    return _exact(m.start(), m.end(), d)


# Bare day number: "le 15", "jusqu'au 10", "le 15 du mois prochain" --------

@_pat(r"\b(?P<pre>le|jusqu'au|jusqu'a|d'ici au|a partir du|a compter du|des le|avant le|"
      r"apres le|pour le|au plus tard le|aux alentours du|autour du|aux environs du) (?:(?P<dd>" + _DDAY + r")|(?P<dw>" + _WDAY + r"))"
      r"(?: (?P<suf>du mois prochain|du mois suivant|de ce mois~ci|de ce mois|du mois en cours|"
      r"du mois|de chaque mois|de l'an|courant))?\b", 45, need=_T_NUMW)
def _h_bare_day(m, today, norm):
    raw = m.group("dd") or m.group("dw")
    suf = _canon(m.group("suf")).replace(" ", "")
    if m.group("dw") and raw in ("un", "une"):
        return None
    if raw in ("premier", "premiere") and not suf:
        return None
    day = _num(raw)
    if day is None or not 1 <= day <= 31:
        return None
    if not suf and not _day_ok_after(norm, m.end()):
        return None
    if suf == "delan":
        d = _roll(today, 1, day) if day == 1 else None
    elif suf in ("dumoisprochain", "dumoissuivant"):
        try:
            nm = _add_months(today.replace(day=1), 1)
            d = nm.replace(day=day)
        except ValueError:
            d = None
    elif suf in ("decemoisci", "decemois", "dumoisencours", "courant"):
        try:
            d = today.replace(day=day)
        except ValueError:
            d = None
    else:
        d = _bare_day(today, day)
    if d is None:
        return _M(m.start(), m.end(), _VAGUE, kind=_DATE)
    pre = _canon(m.group("pre"))
    s, e = m.start(), m.end()
    if pre in ("a partir du", "a compter du", "apres le"):
        return _M(s, e, _OPEN, d + (_ONE if pre == "apres le" else _dt.timedelta()), None)
    if pre.startswith(("jusqu", "d ici", "dici", "avant", "au plus tard")):
        r = _range(s, e, min(today, d), d) if d > today else _exact(s, e, d)
        r.deadline = True
        return r
    if pre in ("aux alentours du", "autour du", "aux environs du"):
        return _range(s, e, d - 2 * _ONE, d + 2 * _ONE)
    return _exact(s, e, d)


# Day ranges: "du 5 au 10 décembre", "entre le 5 et le 10", "le 5 ou le 6" ----

_DAYN = "(?:" + _DDAY + "|" + _WDAY + ")"


@_pat(r"\b(?P<pre>du|entre le|entre|le|des le|a partir du) (?P<d1>" + _DAYN + r")(?:~(?P<m1>" +
      _MONTH_ANY_RX + r")\b" + _MDOT + r")?\s*(?P<op>au|et le|et|ou le|ou|-|a)\s*(?P<d2>" + _DAYN + r")(?:~(?P<m2>" +
      _MONTH_ANY_RX + r")\b" + _MDOT + r")?(?: (?P<y>(?:19|20)\d\d)\b)?", 75, need=_T_NUMW)
def _h_day_range(m, today, norm):
    pre, op = _canon(m.group("pre")), m.group("op").strip()
    op = op if op == "-" else _canon(op)
    if pre in ("du", "des le", "a partir du") and op not in ("au", "-", "a"):
        return None
    if pre.startswith("entre") and not op.startswith("et"):
        return None
    if pre == "le" and not (op.startswith("ou") or op in ("-", "au", "a")):
        return None
    if op == "-" and not (m.group("d1")[:1].isdigit() and m.group("d2")[:1].isdigit()):
        return None   # "vingt-huit" is one number
    d1, d2 = _num(m.group("d1")), _num(m.group("d2"))
    if not d1 or not d2 or d1 > 31 or d2 > 31:
        return None
    for g in ("d1", "d2"):
        if m.group(g) in ("un", "une"):
            return None
    m1 = _MONTH_NUM.get(m.group("m1") or "")
    m2 = _MONTH_NUM.get(m.group("m2") or "")
    if not m2 and not _day_ok_after(norm, m.end()):
        return None
    if not m1 and not m2:
        a = _bare_day(today, d1)
        if a is None:
            return None
        try:
            b = a.replace(day=d2)
        except ValueError:
            return None
        if b < a:
            b = _add_months(b.replace(day=1), 1)
            try:
                b = b.replace(day=d2)
            except ValueError:
                return None
    else:
        m2 = m2 or m1
        b = _ymd(today, m.group("y"), m2, d2)
        if b is None:
            return None
        mm1 = m1 or m2
        try:
            a = _dt.date(b.year, mm1, d1)
        except ValueError:
            return None
        if a > b:
            try:
                a = _dt.date(b.year - 1, mm1, d1) if m1 else _add_months(a, -1)
            except ValueError:
                return None
    return _range(m.start(), m.end(), a, b)


# Numeric dates -----------------------------------------------------------

@_pat(r"(?<![\w/.,:-])(?P<y>(?:19|20)\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\w/]|[.,-]\d)", 80, need=_T_DIGIT)
def _h_iso(m, today, norm):
    try:
        return _exact(m.start(), m.end(), _dt.date(int(m.group("y")), int(m.group("m")),
                                                 int(m.group("d"))))
    except ValueError:
        if int(m.group("m")) <= 12 and int(m.group("d")) <= 31:
            return _M(m.start(), m.end(), _VAGUE, kind=_DATE)
        return None


_FRACTION_BEFORE = _lazy_re.compile(r"(?:\b(?:les|des|aux|un|une|sur|de)\s+|[\d.,]\s*)\Z")
_DATE_WORD_BEFORE = _c(r"\b(?:le|au|du|pour|avant|depuis|d'ici|jusqu'au|des|ce|a partir du|"
                       r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s*\Z")
_AMOUNT_AFTER = _c(r"\s*(?:[%€$£]|euros?\b|eur\b|k\b|ke\b|pour~cent|de |du |des |d')")


@_pat(r"(?<![\w/.,:-])(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?"
      r"(?![\w/]|[.,:-]\d)", 80, need=_T_DIGIT)
def _h_numeric(m, today, norm):
    sep, y = m.group("sep"), m.group("y")
    ds, ms = m.group("d"), m.group("m")
    if sep == "-" and not y:
        return None
    if sep == "." and not y and len(ms) != 2:
        return None
    if not y and _AMOUNT_AFTER.match(norm, m.end()):
        return None
    if not y and len(ds) == 1 and len(ms) == 1 and \
            not _DATE_WORD_BEFORE.search(norm, max(0, m.start() - 20), m.start()):
        return None   # "1/2", "3/4": a fraction unless a date word comes before
    if not y and _FRACTION_BEFORE.search(norm, max(0, m.start() - 3), m.start()) and \
            norm[max(0, m.start() - 2):m.start()].strip()[-1:].isdigit():
        return None
    day, month = int(ds), int(ms)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    if y:
        year = int(y)
        if len(y) == 2:
            year += 2000
        if not 1900 <= year <= 2099:
            return None
        try:
            d = _dt.date(year, month, day)
        except ValueError:
            d = None
    else:
        d = _roll(today, month, day)
    if d is None:
        return _M(m.start(), m.end(), _VAGUE, kind=_DATE)
    return _exact(m.start(), m.end(), d)


# Durations ---------------------------------------------------------------

_UNIT_RX = r"(?P<u>jours?|j|semaines?|sem|mois|ans|an|annees?|heures?|h|minutes?|min|mn)\b"


@_pat(r"\b(?P<pre>dans les|dans|ds|d'ici les|d'ici a|d'ici|sous|en moins de|en|il y a|au bout de|"
      r"laissez~moi|donnez~moi|accordez~moi|laissez~nous|donnez~nous|accordez~nous|"
      r"il me faut(?: encore)?|il nous faut(?: encore)?|j'ai besoin de|encore|attendez|patientez|"
      r"(?:un )?(?:petit )?delai (?:supplementaire )?(?:de|d'))\s*(?P<n>" + _NUM + r")"
      r"(?:\s*(?:ou|a|-|/)\s*(?P<n2>" + _NUM + r")| (?P<n3>" + _NUM + r"))?\s*"
      r"(?:(?P<adj>petits?|petites?|bons?|bonnes?|gros|grosses?) )?" + _UNIT_RX +
      r"(?: (?P<tail>ou deux|ou trois|ou plus|maximum|max|grand max(?:imum)?|au maximum|"
      r"au plus tard|ouvres|ouvrables|calendaires|pleins|a venir|qui viennent|prochains|"
      r"prochaines|a peu pres|environ)\b)?", 55, need=("dans", "ds", "ici", "dici", "sous", "en", "moins", "y", "bout", "laissez", "donnez", "accordez", "faut", "besoin", "encore", "attendez", "patientez", "delai"))
def _h_duration(m, today, norm):
    pre = m.group("pre")
    if pre == "ds":   # SMS spelling
        pre = "dans"
    n = _num(m.group("n"))
    n2 = _num(m.group("n2") or m.group("n3"))
    tail = m.group("tail") or ""
    if n is None:
        return None
    if tail == "ou deux":
        n2 = 2
    elif tail == "ou trois":
        n2 = 3
    if n2 is not None and n2 <= n:
        n2 = None
    u = m.group("u")
    if pre == "encore" and not u.startswith(("jour", "semaine", "mois", "j")):
        return None
    s, e = m.start(), m.end()

    def offset(k, sign=1):
        if u.startswith("j"):
            if pre != "sous" and sign > 0:
                k = {8: 7, 15: 14}.get(k, k)  # "huit jours" = a week, "quinze jours" = two
            return today + _dt.timedelta(days=sign * k)
        if u.startswith("sem"):
            return today + _dt.timedelta(days=sign * 7 * k)
        if u == "mois":
            return _add_months(today, sign * k)
        if u.startswith(("an", "annee")):
            return _add_months(today, sign * 12 * k)
        if u.startswith("h"):
            return today + _dt.timedelta(days=sign * ((k + 12) // 24))
        return today  # minutes

    if pre == "il y a":
        return _exact(s, e, offset(n, -1))
    a = offset(n)
    if tail == "ou plus":
        return _M(s, e, _OPEN, a, None)
    if n2 is not None:
        b = offset(n2)
        if pre in ("dans", "au bout de"):
            return _range(s, e, a, b)
        return _range(s, e, today, b)
    if pre in ("dans", "au bout de") and tail not in ("maximum", "max", "grand max", "grand maximum",
                                                      "au maximum", "au plus tard"):
        adj = m.group("adj") or ""
        if adj.startswith("petit"):      # "dans une petite semaine": a bit less
            return _range(s, e, max(today, a - 2 * _ONE), a)
        if adj.startswith(("bon", "gros")):   # "dans une bonne semaine": a bit more
            return _range(s, e, a, a + 2 * _ONE)
        if tail in ("a peu pres", "environ"):
            return _range(s, e, a - _ONE, a + _ONE)
        return _exact(s, e, a)
    if a <= today:
        return _exact(s, e, today)
    return _range(s, e, today, a)


@_pat(r"\b(?P<pre>dans|d'ici|sous|en|sous une|d'ici une)\s+(?:une |la )?(?P<u>huitaine|quinzaine|"
      r"dizaine|vingtaine|trentaine)(?: de jours)?\b", 56, need=("huitaine", "quinzaine", "dizaine", "vingtaine", "trentaine"))
def _h_aine(m, today, norm):
    n = {"huitaine": 8, "quinzaine": 15, "dizaine": 10, "vingtaine": 20, "trentaine": 30}[m.group("u")]
    pre = m.group("pre")
    if pre == "dans":
        c = {8: 7, 15: 14}.get(n, n)
        return _range(m.start(), m.end(), today + _dt.timedelta(days=c - 2),
                      today + _dt.timedelta(days=c + 2))
    return _range(m.start(), m.end(), today, today + _dt.timedelta(days=n))


@_pat(r"\b(?:dans|d'ici|sous) (?:un|une) (?P<u>jour|semaine|mois|an) ou deux\b", 57, need=("deux",))
def _h_or_two(m, today, norm):
    u = m.group("u")
    if u == "jour":
        a, b = today + _ONE, today + _dt.timedelta(days=2)
    elif u == "semaine":
        a, b = today + _dt.timedelta(days=7), today + _dt.timedelta(days=14)
    elif u == "mois":
        a, b = _add_months(today, 1), _add_months(today, 2)
    else:
        a, b = _add_months(today, 12), _add_months(today, 24)
    if not m.group(0).startswith("dans"):
        a = today
    return _range(m.start(), m.end(), a, b)


# Weeks --------------------------------------------------------------------

def _week_of(today, which):
    mon = _monday(today)
    if which == "next":
        mon += _dt.timedelta(days=7)
    elif which == "last":
        mon -= _dt.timedelta(days=7)
    return mon, mon + _dt.timedelta(days=6)


def _which(q):
    q = _canon(q).replace("d apres", "dapres")
    if not q:
        return "this"
    if q.startswith(("pro", "suivant", "dapres", "apres")):
        return "next"
    if q.startswith(("dernier", "passe")):
        return "last"
    if q.startswith("qui vient"):
        return "coming"
    return "this"


@_pat(r"\b(?P<art>cette|dans la|courant de la|dans le courant de la|au cours de la|pendant la|"
      r"sur la|la|en) semaine(?: (?P<q>prochaine|pro|suivante|d'apres|apres|qui vient|derniere|passee|"
      r"en cours))?\b|\bsemaine (?P<q2>prochaine|pro|suivante|derniere|passee)\b", 48, need=("semaine",))
def _h_week(m, today, norm):
    q = m.group("q") or m.group("q2")
    art = m.group("art")
    if art in ("la", "en", "sur la") and not q:
        return None
    which = _which(q)
    if which == "coming":
        r = _range(m.start(), m.end(), today, today + _dt.timedelta(days=6))
        r.week = _week_of(today, "next")
        return r
    if which == "this" and today.weekday() >= 5:
        which = "next"
    a, b = _week_of(today, which)
    wk = (a, b)
    a, b = _clip(today, a, b)
    r = _range(m.start(), m.end(), a, b, unit=True)
    r.week = wk
    return r


_PART_W = {"debut": (0, 2), "milieu": (1, 3), "mi": (1, 3), "fin": (3, 6)}


@_pat(r"\b(?:(?:en|au|a la|dans la|vers la|pour la|des la) )?(?:tout )?(?P<part>debut|fin|milieu) "
      r"(?:de |d')(?:la |cette )?semaine(?: (?P<q>prochaine|pro|suivante|d'apres|qui vient|derniere|"
      r"passee))?\b", 58, need=("semaine",))
def _h_week_part(m, today, norm):
    which = _which(m.group("q"))
    if which == "coming":
        which = "this"
    lo, hi = _PART_W[m.group("part")]
    mon, _ = _week_of(today, which)
    a, b = mon + _dt.timedelta(days=lo), mon + _dt.timedelta(days=hi)
    if which == "this" and b < today:
        a, b = a + _dt.timedelta(days=7), b + _dt.timedelta(days=7)
    a, b = _clip(today, a, b)
    return _range(m.start(), m.end(), a, b)


@_pat(r"\b(?:(?:ce|le|du|pendant le|en|cette fin de|durant le) )?(?:week~end|weekend|ouikend)"
      r"(?: (?P<q>prochain|suivant|d'apres|dernier|passe))?\b|\bce we\b", 50, need=("week", "weekend", "ouikend", "we"))
def _h_weekend(m, today, norm):
    which = _which(m.group("q"))
    mon = _monday(today)
    if which in ("next",) and today.weekday() >= 5:
        mon += _dt.timedelta(days=7)
    elif which == "last":
        mon -= _dt.timedelta(days=7)
    a, b = mon + _dt.timedelta(days=5), mon + _dt.timedelta(days=6)
    a, b = _clip(today, a, b)
    return _range(m.start(), m.end(), a, b, unit=True)


@_pat(r"\b(?:la )?(?P<ord>premiere|1ere|1re|deuxieme|2e|2eme|seconde|troisieme|3e|3eme|quatrieme|"
      r"4e|4eme|derniere) (?P<u>semaine|quinzaine) (?:(?:du mois )?(?:de |d')(?P<mon>" +
      _MONTH_FULL_RX + r")|(?P<rel>du mois prochain|du mois|de ce mois|de janvier))\b", 72, need=("semaine", "quinzaine"))
def _h_nth_week(m, today, norm):
    mon = m.group("mon")
    if mon:
        mo = _MONTH_NUM[mon]
        y = _month_year(today, mo)
    elif m.group("rel") == "du mois prochain":
        nm = _add_months(today.replace(day=1), 1)
        y, mo = nm.year, nm.month
    else:
        y, mo = today.year, today.month
    last = _month_end(y, mo)
    o = m.group("ord")
    k = {"p": 0, "1": 0, "d": 1, "2": 1, "s": 1, "t": 2, "3": 2, "q": 3, "4": 3}[o[0]] \
        if not o.startswith("dern") else -1
    if m.group("u") == "quinzaine":
        if k == 0:
            a, b = 1, 15
        elif k == 1 or k == -1:
            a, b = 16, last
        else:
            return None
    else:
        if k == -1:
            a, b = last - 6, last
        else:
            a, b = 1 + 7 * k, min(7 + 7 * k, last)
    return _range(m.start(), m.end(), _dt.date(y, mo, a), _dt.date(y, mo, b))


@_pat(r"\b(?:la )?semaine du (?:(?P<dd>" + _DDAY + r")|(?P<dw>" + _WDAY + r"))(?:~(?P<mon>" +
      _MONTH_ANY_RX + r")\b)?", 74, need=("semaine",))
def _h_week_of(m, today, norm):
    day = _num(m.group("dd") or m.group("dw"))
    if not day or day > 31:
        return None
    if m.group("mon"):
        d = _roll(today, _MONTH_NUM[m.group("mon")], day)
    else:
        if not _day_ok_after(norm, m.end()):
            return None
        d = _bare_day(today, day)
    if d is None:
        return None
    a = _monday(d)
    r = _range(m.start(), m.end(), a, a + _dt.timedelta(days=6), unit=True)
    r.week = (a, a + _dt.timedelta(days=6))
    return r


# Months -------------------------------------------------------------------

_PART_M = {"debut": (1, 10), "mi": (11, 20), "milieu": (11, 20), "fin": (21, 31), "courant": (1, 31),
           "": (1, 31)}


def _month_span(y, mo, part):
    lo, hi = _PART_M[part]
    last = _month_end(y, mo)
    return _dt.date(y, mo, lo), _dt.date(y, mo, min(hi, last))


@_pat(r"\b(?:(?:le|au|du|dans le|courant du|dans le courant du|au cours du|pendant le) )?"
      r"mois (?P<q>prochain|pro|suivant|d'apres|apres|dernier|passe|en cours|qui vient)\b"
      r"|\b(?P<this>ce mois~ci|ce mois|dans le mois|courant du mois|dans le courant du mois|"
      r"au cours du mois|avant la fin du mois|d'ici la fin du mois)\b", 48, need=("mois",))
def _h_month_rel(m, today, norm):
    if m.group("this"):
        if m.group("this").startswith(("avant", "d'ici", "dici", "d ici")):
            return _range(m.start(), m.end(), today,
                          today.replace(day=_month_end(today.year, today.month)))
        which = "this"
    else:
        which = _which(m.group("q"))
    first = today.replace(day=1)
    if which == "next":
        first = _add_months(first, 1)
    elif which == "last":
        first = _add_months(first, -1)
    elif which == "coming":
        return _range(m.start(), m.end(), today, _add_months(today, 1))
    a, b = _month_span(first.year, first.month, "")
    return _range(m.start(), m.end(), *_clip(today, a, b), unit=True)


_TERMS_BEFORE = _c(r"\b(?:\d{1,3}|" + _NUMW + r")\s*(?:jours?|j)(?: net)?\s*,?\s*\Z")


@_pat(r"\b(?:(?:en|au|a la|dans la|vers la|vers le|pour la|des la|des le) )?(?:tout )?"
      r"(?P<part>debut|fin|milieu|mi)~(?:(?:de |du |d')(?:ce |le )?)?mois(?:~ci)?"
      r"(?: (?P<q>prochain|pro|suivant|d'apres|dernier|passe|en cours))?\b", 58, need=("mois",))
def _h_month_part(m, today, norm):
    if _TERMS_BEFORE.search(norm, max(0, m.start() - 30), m.start()):
        return None   # payment terms: "à 45 jours fin de mois"
    which = _which(m.group("q"))
    part = m.group("part")
    first = today.replace(day=1)
    if which == "next":
        first = _add_months(first, 1)
    elif which == "last":
        first = _add_months(first, -1)
    a, b = _month_span(first.year, first.month, part)
    if which == "this" and b < today:
        first = _add_months(first, 1)
        a, b = _month_span(first.year, first.month, part)
    return _range(m.start(), m.end(), *_clip(today, a, b))


@_pat(r"\b(?:(?P<pre>en|au mois de|au mois d'|pour|courant|dans le courant du mois de|"
      r"dans le courant de|dans le courant d'|au cours du mois de|au cours du mois d'|pendant le mois de|"
      r"d'ici|avant|jusqu'en|jusqu'a|a partir de|a partir d'|a compter de|des|apres|vers|d'ici a) )?"
      r"(?:(?:en|au|a la|vers la|vers le|des la|des le|pour la) )?(?:tout )?"
      r"(?:(?P<part>debut|fin|mi|milieu|courant)~(?:(?:du mois de|du mois d'|de|d') ?)?)?"
      r"(?P<mon>" + _MONTH_FULL_RX + r"|janv|fevr|fev|avr|juil|sept|oct|nov|dec)\b\.?"
      r"(?: (?P<y>(?:19|20)\d\d)\b| (?P<q>prochain|dernier))?", 52, need=_T_MONTH)
def _h_month(m, today, norm):
    pre = m.group("pre") or ""
    part = m.group("part") or ""
    if len(m.group("mon")) <= 4 and m.group("mon") != "mai" and not part:
        return None          # "fin déc", "mi-janv": an abbreviated month only after fin, début, mi
    if not pre and not part and not m.group("q") and not m.group("y"):
        return None
    mo = _MONTH_NUM[m.group("mon")]
    if m.group("y"):
        y = int(m.group("y"))
    elif m.group("q") == "prochain":
        y = today.year if mo > today.month else today.year + 1
    elif m.group("q") == "dernier":
        y = today.year if mo < today.month else today.year - 1
    else:
        y = _month_year(today, mo)
    if part == "courant":
        part = ""
    a, b = _month_span(y, mo, part)
    s, e = m.start(), m.end()
    pre = _canon(pre)
    if pre in ("avant", "d ici", "dici", "d ici a", "dici a") or pre.startswith("jusqu"):
        # "avant janvier" ends on 31 December; "d'ici janvier", "jusqu'en janvier" on 31 January
        end = a - _ONE if pre == "avant" and not part else b
        r = _range(s, e, min(today, end), end)
        r.deadline = True
        return r
    if pre.startswith(("a partir", "a compter", "des")):
        return _M(s, e, _OPEN, a, None)
    if pre == "apres":
        return _M(s, e, _OPEN, b + _ONE, None)
    return _range(s, e, *_clip(today, a, b), unit=not part)


# Year ---------------------------------------------------------------------

_PART_Y = {"debut": ((1, 1), (2, 0)), "mi": ((6, 1), (7, 31)), "milieu": ((6, 1), (7, 31)),
           "fin": ((12, 1), (12, 31)), "": ((1, 1), (12, 31))}


def _year_span(y, part):
    (m1, d1), (m2, d2) = _PART_Y[part]
    if d2 == 0:
        d2 = _month_end(y, m2)
    return _dt.date(y, m1, d1), _dt.date(y, m2, d2)


@_pat(r"\b(?:(?:en|au|a la|vers la|pour la|des la|des le) )?(?:tout )?(?:(?P<part>debut|fin|milieu|mi)~"
      r"(?:d'|de l'|de cette |de )?)?(?P<w>annee|an|cette annee|l'annee|l'an)(?: (?P<q>prochaine|prochain|"
      r"suivante|d'apres|derniere|dernier|passee|en cours))?\b"
      r"", 47, need=("annee", "an", "lan"))
def _h_year(m, today, norm):
    part = m.group("part") or ""
    w = m.group("w")
    q = m.group("q")
    if not part and not q and w != "cette annee":
        return None
    if w in ("annee", "an") and not part and q:
        return None  # "un an dernier"? needs an article
    which = _which(q)
    y = today.year + (1 if which == "next" else -1 if which == "last" else 0)
    a, b = _year_span(y, part)
    if which == "this" and b < today:
        a, b = _year_span(y + 1, part)
    return _range(m.start(), m.end(), *_clip(today, a, b), unit=not part)


@_pat(r"\b(?P<part2>debut|fin|mi|milieu|courant|en)~(?P<y>20\d\d)\b", 47, need=_T_DIGIT)
def _h_year_number(m, today, norm):
    part = m.group("part2")
    part = "" if part in ("courant", "en") else part
    a, b = _year_span(int(m.group("y")), part)
    return _range(m.start(), m.end(), *_clip(today, a, b), unit=not part)


# Quarters and halves ------------------------------------------------------

_ORD = {"premier": 1, "1er": 1, "deuxieme": 2, "2e": 2, "2eme": 2, "second": 2, "troisieme": 3,
        "3e": 3, "3eme": 3, "quatrieme": 4, "4e": 4, "4eme": 4}


@_pat(r"\b(?:(?:en|au|a la|pour la|des la|vers la) )?(?:tout )?(?:(?P<part>debut|fin|milieu|mi)~"
      r"(?:(?:de |du |d')(?:ce |cet |le )?)?)?(?:(?:ce|le|du|au) )?(?:(?P<ord>premier|1er|deuxieme|2e|2eme|"
      r"second|troisieme|3e|3eme|quatrieme|4e|4eme|dernier) )?(?P<u>trimestre|semestre)"
      r"(?: (?P<q>prochain|pro|suivant|en cours|dernier|passe))?(?: (?P<y>(?:19|20)\d\d)\b)?\b", 52,
      need=("trimestre", "semestre"))
def _h_quarter(m, today, norm):
    months = 3 if m.group("u") == "trimestre" else 6
    if not (m.group("part") or m.group("ord") or m.group("q") or m.group("y") or
            "ce" in _canon(m.group(0)).split()):
        return None   # "le trimestre a été difficile"
    n_per_year = 12 // months
    ords = m.group("ord")
    q = _which(m.group("q"))
    y = int(m.group("y")) if m.group("y") else today.year
    cur = (today.month - 1) // months
    if ords and ords != "dernier":
        k = _ORD[ords] - 1
        if k >= n_per_year:
            return None
        if not m.group("y") and (k + 1) * months < today.month and \
                (today - _dt.date(y, (k + 1) * months, _month_end(y, (k + 1) * months))).days > _PAST_ROLL_DAYS:
            y += 1
    elif ords == "dernier" and not m.group("q"):
        k = n_per_year - 1
    else:
        k = cur + (1 if q == "next" else -1 if q == "last" else 0)
        y += k // n_per_year
        k %= n_per_year
    part = m.group("part")
    if part and not ords and not m.group("q") and not m.group("y"):
        lo_m = k * months + 1 + {"debut": 0, "milieu": 1, "mi": 1, "fin": months - 1}[part]
        if _dt.date(y, lo_m, _month_end(y, lo_m)) < today:   # that part is over: the next one
            k += 1
            y += k // n_per_year
            k %= n_per_year
    m1, m2 = k * months + 1, (k + 1) * months
    if part == "debut":
        m2 = m1
    elif part == "fin":
        m1 = m2
    elif part in ("milieu", "mi"):
        m1, m2 = (m1 + 1, m1 + 1) if months == 3 else (m1 + 2, m1 + 3)
    a, b = _dt.date(y, m1, 1), _dt.date(y, m2, _month_end(y, m2))
    return _range(m.start(), m.end(), *_clip(today, a, b), unit=not part)


# Holidays -------------------------------------------------------------------

@_pat(r"\b(?:(?:la|le|les) )?(?P<h>noel|jour de l'an|nouvel an|premier de l'an|saint~sylvestre|"
      r"toussaint|lundi de paques|paques|ascension|lundi de pentecote|pentecote|assomption|"
      r"fete du travail|fete nationale|fetes de fin d'annee|fetes|vacances de noel|"
      r"saint~valentin|armistice)\b", 54, need=("noel", "an", "lan", "sylvestre", "toussaint", "paques", "ascension", "pentecote", "assomption", "fete", "fetes", "vacances", "valentin", "armistice"))
def _h_holiday(m, today, norm):
    h = _canon(m.group("h")).replace(" ", "")
    fixed = {"noel": (12, 25), "jourdelan": (1, 1), "nouvelan": (1, 1), "premierdelan": (1, 1),
             "toussaint": (11, 1), "assomption": (8, 15), "fetedutravail": (5, 1),
             "fetenationale": (7, 14), "armistice": (11, 11), "saintsylvestre": (12, 31),
             "saintvalentin": (2, 14)}
    if h in fixed:
        mo, d = fixed[h]
        dd = _roll(today, mo, d)
        return _exact(m.start(), m.end(), dd) if dd else None
    if h.startswith("fetes") or h.startswith("vacances"):
        y = today.year - 1 if (today.month == 1 and today.day <= 3) else today.year
        a, b = _dt.date(y, 12, 24), _dt.date(y + 1, 1, 1)
        if h.startswith("vacances"):
            a = _dt.date(y, 12, 19)
            b = _dt.date(y + 1, 1, 4)
        return _range(m.start(), m.end(), *_clip(today, a, b), unit=True)
    off = {"paques": 0, "lundidepaques": 1, "ascension": 39, "pentecote": 49,
           "lundidepentecote": 50}.get(h)
    if off is None:
        return None
    d = _easter(today.year) + _dt.timedelta(days=off)
    if (today - d).days > _PAST_ROLL_DAYS:
        d = _easter(today.year + 1) + _dt.timedelta(days=off)
    return _exact(m.start(), m.end(), d)


# Seasons ----------------------------------------------------------------------

@_pat(r"\b(?:cet |cette |au |a l'|en |l'|le |ce )(?P<s>printemps|ete|automne|hiver)"
      r"(?: (?P<q>prochain|dernier))?\b", 46, need=("printemps", "ete", "automne", "hiver"))
def _h_season(m, today, norm):
    bounds = {"printemps": ((3, 20), (6, 20)), "ete": ((6, 21), (9, 22)),
              "automne": ((9, 23), (12, 20)), "hiver": ((12, 21), (3, 19))}
    (m1, d1), (m2, d2) = bounds[m.group("s")]
    y = today.year
    a = _dt.date(y, m1, d1)
    b = _dt.date(y + (1 if m2 < m1 else 0), m2, d2)
    if b < today:
        a, b = a.replace(year=a.year + 1), b.replace(year=b.year + 1)
    if m.group("q") == "prochain" and a <= today:
        a, b = a.replace(year=a.year + 1), b.replace(year=b.year + 1)
    return _range(m.start(), m.end(), *_clip(today, a, b), unit=True)


# Times ------------------------------------------------------------------------

_TPRE = (r"(?:(?P<pre>a|vers|avant|apres|pour|des|jusqu'a|d'ici|entre|et|de|aux alentours de|"
         r"autour de|sur les|pas avant|au plus tard a|a partir de|disons|environ|plutot) )")
_MIN_RX = (r"(?: (?P<mm>\d{2}\b|et quart|et demie?|moins le quart|moins quart|"
           r"trente|quinze|quarante~cinq|vingt|dix|cinq|cinquante|quarante|vingt~cinq|trente~cinq|pile|"
           r"precises?))?")
_SUFFIX_RX = r"(?: (?P<ampm>du matin|de l'apres~midi|de l'aprem|du soir|de la nuit))?"


def _minutes(mm) -> int:
    """Minutes said after an hour: "30", "et quart" 15, "et demie" 30, "moins le quart" -15, "pile" 0."""
    mm = (mm or "").strip()
    if mm.isdigit():
        return int(mm)
    if mm.startswith("et quart"):
        return 15
    if mm.startswith("et demi"):
        return 30
    if mm.startswith("moins"):
        return -15
    if not mm or mm.startswith(("pile", "precis")):
        return 0
    return _num(mm) or 0


def _mk_time(h, mm, ampm):
    if h is None or not 0 <= h <= 24:
        return None
    minute = _minutes(mm)
    if minute < 0:  # "9 h moins le quart" is 8:45
        h, minute = h - 1, minute + 60
    if not 0 <= minute <= 59:
        return None
    if ampm:
        if ampm != "du matin" and h < 12:
            h += 12
    elif 1 <= h <= 6:
        h += 12
    if h == 24:
        h = 0
    if h < 0:
        h += 24
    if not 0 <= h <= 23:
        return None
    return "%02d:%02d" % (h, minute)


@_pat(r"\b" + _TPRE + r"?(?<![\w.,:/])(?P<h>[01]?\d|2[0-3])\s*h(?:\s*(?P<m2>[0-5]\d))?\b"
      r"(?: (?P<mw>et quart|et demie?|moins le quart|moins quart))?" + _SUFFIX_RX, 30, need=("h",))
def _h_time_h(m, today, norm):
    t = _mk_time(int(m.group("h")), m.group("m2") or m.group("mw"), m.group("ampm"))
    if t is None:
        return None
    return _M(m.start(), m.end(), _EXACT, None, None, t, _TIME, 30)


@_pat(r"\b" + _TPRE + r"?(?<![\w.,:/])(?P<h>[01]?\d|2[0-3]):(?P<m2>[0-5]\d)\b(?!:\d)" + _SUFFIX_RX, 30, need=(":",))
def _h_time_colon(m, today, norm):
    t = _mk_time(int(m.group("h")), m.group("m2"), m.group("ampm"))
    if t is None:
        return None
    return _M(m.start(), m.end(), _EXACT, None, None, t, _TIME, 30)


_HOUR_NOUN_AFTER = _lazy_re.compile(r" (?:precise|exacte|fixe|convenue|qui|a convenir|de rendez|ou|et)\b")
_HOUR_NOUN_BEFORE = _lazy_re.compile(r"\b(?:un|une|le|quel) (?:jour|date|creneau)\W*$")


@_pat(r"\b" + _TPRE + r"(?P<h>\d{1,2}|" + _NUMW + r") heures?\b" + _MIN_RX + _SUFFIX_RX, 31, need=("heure", "heures"))
def _h_time_words(m, today, norm):
    # "un jour et une heure", "à une heure précise", "une heure qui vous convient": the noun
    # "heure" (a time to be fixed), not one o'clock.
    if _canon(m.group("h")) in ("un", "une") and (
            m.group("pre") in ("et", "de", "pour") or "precis" in m.group(0)
            or _HOUR_NOUN_AFTER.match(norm, m.end())
            or _HOUR_NOUN_BEFORE.search(norm[max(0, m.start() - 30):m.start()])):
        return None
    h = _num(m.group("h"))
    t = _mk_time(h, m.group("mm"), m.group("ampm"))
    if t is None:
        return None
    return _M(m.start(), m.end(), _EXACT, None, None, t, _TIME, 31)


@_pat(r"\b(?:(?:a|vers|avant|pour|des|jusqu'a|d'ici|entre|aux alentours de|autour de|sur les|"
      r"pas avant|a partir de|disons|plutot|et) )(?P<w>midi|minuit)\b" + _MIN_RX, 32, need=("midi", "minuit"))
def _h_time_noon(m, today, norm):
    minute = _minutes(_canon(m.group("mm")))
    if not -15 <= minute <= 59:
        return None
    base = 12 * 60 if m.group("w") == "midi" else 24 * 60
    total = (base + minute) % (24 * 60)
    return _M(m.start(), m.end(), _EXACT, None, None, "%02d:%02d" % divmod(total, 60), _TIME, 32)


# Parts of the day -------------------------------------------------------------

@_pat(r"\b(?:(?:en|dans|au cours de|pendant|durant) )(?:la |l')?(?:matinee|apres~midi|aprem|soiree|"
      r"journee|nuit)\b"
      r"|\b(?:(?:en|au|a la|dans la|vers la|des la|pour la) )?(?:tout )?(?:debut|fin) (?:de |d')"
      r"(?:la |l')?(?:matinee|apres~midi|aprem|soiree|journee)\b"
      r"|\b(?:a la|des la|en) premiere heure\b", 35, need=_T_PART)
def _h_modday(m, today, norm):
    return _M(m.start(), m.end(), _EXACT, today, today, None, _MODDAY, 35)


@_pat(r"\b(?:(?:au|le|dans le|en) )?(?P<w>matin|soir|apres~midi|aprem|midi|minuit)\b", 20, need=_T_PART)
def _h_mod(m, today, norm):
    w = m.group("w")
    t = "12:00" if w == "midi" else "00:00" if w == "minuit" else None
    return _M(m.start(), m.end(), _EXACT, None, None, t, _MOD, 20)


# Vague talk -----------------------------------------------------------------

_VAGUE_SRC = [  # (pattern, trigger words)
    (r"\b(?:tres )?(?:bientot|prochainement|rapidement|vite)\b",
     ("bientot", "prochainement", "rapidement", "vite")),
    (r"\bau plus (?:vite|tot)\b|\ble plus (?:tot|vite|rapidement) possible\b", ("vite", "tot", "possible")),
    (r"\b(?:des|aussitot|sitot) que possible\b|\basap\b", ("possible", "asap")),
    (r"\bdans les (?:meilleurs|plus brefs) delais\b|\bsans (?:trop )?tarder\b", ("delais", "tarder")),
    (r"\b(?:sous|d'ici) peu\b|\b(?:dans|d'ici) peu de temps\b|\bdans pas (?:tres )?longtemps\b",
     ("peu", "longtemps")),
    (r"\bincessamment\b|\bulterieurement\b|\b(?:un peu )?plus tard\b|\bun autre jour\b|\bune autre fois\b",
     ("incessamment", "ulterieurement", "tard", "autre")),
    (r"\bun de ces (?:jours|quatre|quatre matins)\b|\bun jour ou l'autre\b|\btot ou tard\b",
     ("ces", "autre", "lautre", "tot")),
    (r"\bd'un jour a l'autre\b|\ba un moment (?:donne)?\b|\ble moment venu\b|\ben temps (?:voulu|utile)\b",
     ("autre", "lautre", "moment", "temps")),
    (r"\b(?:dans|d'ici) (?:quelque temps|un moment|un petit moment|un certain temps)\b", ("temps", "moment")),
    (r"\b(?:dans|d'ici|sous|en|d'ici a) (?:quelques|plusieurs|les prochains|les prochaines|"
     r"les tout prochains) (?:jours|semaines|mois)\b", ("quelques", "plusieurs", "prochains", "prochaines")),
    (r"\b(?:dans|d'ici) les (?:jours|semaines|mois) (?:qui viennent|a venir|prochains|prochaines|suivants)\b",
     ("viennent", "venir", "prochains", "prochaines", "suivants")),
    (r"\b(?:je|j'|on|nous)(?: vous| te)? (?:re)?(?:rappelle|rappellerai|rappellerais|rappellera|rappellerons|"
     r"rappelons|recontacte|recontacterai|recontactera|recontactons|contacterai|contacte|appelle|appellerai)\b"
     r"(?! que\b| qu')",
     ("rappelle", "rappellerai", "rappellerais", "rappellera", "rappellerons", "rappelons", "recontacte",
      "recontacterai", "recontactera", "recontactons", "contacterai", "contacte", "appelle", "appellerai",
      "rerappelle")),
    (r"\b(?:je|on|nous) (?:vous )?(?:tiens|tiendrai|tiendrons|tient|tiendra|tenons) (?:au courant|au jus|informee?s?)\b",
     ("courant", "informe", "informee", "jus")),
    (r"\b(?:je|on|nous) (?:m'|s'|nous )en (?:occupe|occupons|occuperai|occupera|charge)\b|"
     r"\ben train de (?:voir|regarder|verifier|faire le point|m'en occuper|s'en occuper)\b",
     ("occupe", "occupons", "occuperai", "occupera", "charge", "train")),
    (r"\b(?:je|on|nous) (?:vous )?(?:re)?(?:viens|reviens|reviendrai|reviendrons|revenons|reviendra|"
     r"revient) (?:vers|aupres de) vous\b", ("vers", "aupres")),
    (r"\b(?:je|on) (?:vous )?(?:fais|ferai|fera|fait) signe\b", ("signe",)),
    (r"\b(?:je|on) (?:vais|va) (?:voir|regarder|verifier|me renseigner|en parler|faire le point|"
     r"faire le necessaire|m'en occuper|s'en occuper|essayer|faire au mieux|faire mon possible|"
     r"faire de mon mieux|y reflechir|reflechir|demander)\b", ("vais", "va")),
    (r"\b(?:je|on) (?:verrai|verra|verrons)\b|\bon va voir\b|\bje regarde(?: ca)?\b|\bje m'en occupe\b",
     ("verrai", "verra", "verrons", "voir", "regarde", "occupe")),
    (r"\bje fais (?:le necessaire|au mieux|mon possible|de mon mieux|au plus vite)\b", ("fais",)),
    (r"\bje (?:dois|doit) (?:voir|en parler|verifier|demander|regarder|attendre|faire le point)\b",
     ("dois", "doit")),
    (r"\bje vous (?:redis|redirai)\b|\bje vous (?:dirai|dis) (?:ca|quoi|cela)\b",
     ("redis", "redirai", "dirai", "dis")),
    (r"\b(?:on|nous|je) (?:en |vous en )?(?:reparle|reparlera|reparlerons|reparlons|rediscute|rediscutera|"
     r"rediscuterons)\b", ("reparle", "reparlera", "reparlerons", "reparlons", "rediscute", "rediscutera",
                           "rediscuterons")),
    (r"\bdans un (?:futur|avenir) (?:proche|prochain)\b|\bdans (?:les )?(?:temps|delais) (?:a venir|prochains)\b",
     ("futur", "avenir", "temps", "delais")),
    (r"\bje ne (?:sais|peux) pas (?:encore )?(?:vous dire )?quand\b|\baucune idee\b|"
     r"\bpas (?:encore )?de date\b|\bje ne peux pas m'engager\b|\bje ne peux rien (?:vous )?promettre\b",
     ("quand", "idee", "date", "engager", "promettre")),
    (r"\b(?:des|a|apres|sur) (?:reception|encaissement|rentree)\b", ("reception", "encaissement", "rentree")),
    (r"\b(?:il )?faut (?:d'abord )?que (?:je|j'|on) ?(?:voie|demande|regarde|verifie|en parle|consulte|"
     r"attende|m'organise|fasse le point|me renseigne)\b", ("faut",)),
    (r"\b(?:pas|ne peux|ne sais|impossible de|difficile de|rien) (?:encore )?(?:vous )?(?:donner|fixer|avancer|"
     r"proposer|promettre|garantir|annoncer|dire) (?:de |une |aucune |la )?(?:date|delai)\b|\bsans date\b",
     ("date", "delai")),
    (r"\b(?:a la rentree|apres les vacances|au retour de|a mon retour|des mon retour|apres mon retour|"
     r"quand je rentre)\b", ("rentree", "vacances", "retour", "rentre")),
]


def _h_vague(m, today, norm):
    return _M(m.start(), m.end(), _VAGUE, kind=_VAG, prio=10)


for _src_v, _need_v in _VAGUE_SRC:
    _PATTERNS.append((_c(_src_v), _h_vague, 10, _need_v))


@_pat(r"\b(?:quand|lorsque|des que|des qu'|une fois que|une fois qu'|aussitot que|aussitot qu'|sitot que|"
      r"le jour ou|apres que|des l'instant ou|d'ici a ce que)\s*(?:je|j'|on|il|ils|elle|elles|nous|"
      r"vous|le|la|les|l'|mon|ma|mes|notre|nos|leur|leurs|ca|cela|un|une|tout)\b", 10, need=("quand", "lorsque", "que", "qu", "aussitot", "sitot", "ou"))
def _h_vague_clause(m, today, norm):
    r = _M(m.start(), m.end(), _VAGUE, kind=_VAG, prio=10)
    r.extend = True  # the reported text runs to the end of the clause
    return r


_CLAUSE_END = _lazy_re.compile(r"[,.;:!?()\n]")

# --------------------------------------------------------------------------
# Modifiers around a date mention
# --------------------------------------------------------------------------

_PRE_DEADLINE = _c(r"(?:\bavant|\bd'ici(?: a)?|\bjusqu'(?:a|au|en)?|\bau plus tard|"
                   r"\bpas plus tard que|\bau grand maximum|\bau maximum|\bmaximum|\bdernier delai)"
                   r"(?: (?:le|la|les|l'|ce|cette))?\s*\Z")
_PRE_OPEN = _c(r"(?:\ba partir d(?:e|u)|\ba compter d(?:e|u)|\bapres|\bpasse|\bau~dela d(?:e|u)|"
               r"\bpas avant|\bpas plus tot que|\bplus tot que|\bpas d'ici)"
               r"(?: (?:le|la|les|l'|ce|cette))?\s*\Z")
_PRE_APPROX = _c(r"(?:\bvers|\baux alentours d(?:e|u)|\bautour d(?:e|u)|\baux environs d(?:e|u)|"
                 r"\benviron|\ba peu pres)(?: (?:le|la|les|l'|ce|cette))?\s*\Z")
_PRE_KEYS_RX = _lazy_re.compile(r"avant|ici|jusqu|tard|max|delai|partir|compter|apres|passe|dela|tot|vers|"
                           r"autour|alentours|environ|pres")
_POST_DEADLINE = _c(r"\s*,?\s*(?:(?:au |le |dans la |en )?(?:matin|soir|midi|apres~midi|aprem|journee|"
                    r"fin de (?:journee|matinee|soiree|apres~midi)|(?:a |vers )?\d{1,2}\s*h(?:\s*\d\d)?|a midi)"
                    r"\s*,?\s*)?(?:au plus tard|dernier delai|au grand max(?:imum)?|grand max(?:imum)?|"
                    r"au maximum|maximum|max|maxi|au pire)\b")
_POST_OPEN = _c(r"\s*,?\s*(?:au plus tot|au minimum|minimum|pas avant)\b")
_POST_APPROX = _c(r"\s*,?\s*(?:environ|a peu pres|plus ou moins|a quelques jours pres|grosso modo)\b")
_NEG_STOP = _lazy_re.compile(r"[,.;:!?()]|\b(?:mais|plutot|par contre|en revanche|sinon|alors|donc|ou)\b")
_NEG_WORD = _lazy_re.compile(r"\b(?:pas|jamais|ni|rien|aucunement|nullement|impossible)\b(?!\s+(?:de\s+(?:souci|soucis|"
                        r"probleme|problemes)|d'\s*inquietude|mal|plus tard|avant|d'ici))")


def _apply_modifiers(mm: _M, norm: str, today: _dt.date):
    mm.core_e = mm.e
    s = mm.s
    lo = max(0, s - 40)
    # open ("à partir de"), deadline ("avant vendredi", "d'ici le 10"), approximate ("vers le 10")
    kind = None
    if _PRE_KEYS_RX.search(norm, lo, s):
        for rx, k in ((_PRE_OPEN, "open"), (_PRE_DEADLINE, "deadline"), (_PRE_APPROX, "approx")):
            pm = rx.search(norm, lo, s)
            if pm:
                kind, new_s, word = k, pm.start(), pm.group(0).strip()
                break
    post = _POST_DEADLINE.match(norm, mm.e)
    if post and kind is None:
        kind, new_s, word = "deadline", s, "au plus tard"
    if kind is None:
        post = _POST_OPEN.match(norm, mm.e)
        if post:
            kind, new_s, word = "open", s, "au plus tot"
    if kind is None:
        pa = _POST_APPROX.match(norm, mm.e)
        if pa and mm.p == _EXACT:
            kind, new_s, word = "approx", s, "environ"
            post = pa
    if kind == "open" and word == "passe" and not norm.startswith(("le ", "la ", "l'"), s):
        kind = None   # "il passe mardi" (a verb), not "passé le 10"
    if kind is None:
        return
    if mm.p not in (_EXACT, _RANGE):
        return
    if kind == "deadline":
        end = mm.d2
        if word.startswith("avant") and mm.p == _RANGE and mm.unit:
            end = mm.d1 - _ONE
        start = min(today, end)
        mm.s = new_s
        if post:
            mm.e = max(mm.e, post.end())
        if start == end:
            mm.p, mm.d1, mm.d2 = _EXACT, end, end
        else:
            mm.p, mm.d1, mm.d2 = _RANGE, start, end
        mm.wd = None
        mm.week = None
        mm.deadline = True
    elif kind == "open":
        if word.startswith(("apres", "passe", "au-dela", "au dela", "audela")):
            start = mm.d2 + _ONE
        else:
            start = mm.d1
        mm.s = new_s
        if post:
            mm.e = max(mm.e, post.end())
        mm.p, mm.d1, mm.d2 = _OPEN, start, None
        mm.wd = None
        mm.week = None
    elif kind == "approx" and mm.p == _EXACT:
        k = 1 if mm.approx == "wd" else 2
        mm.s = min(new_s, mm.s)
        if post:
            mm.e = max(mm.e, post.end())
        mm.p, mm.d1, mm.d2 = _RANGE, mm.d1 - _dt.timedelta(days=k), mm.d1 + _dt.timedelta(days=k)
        mm.wd = None


def _negated(norm: str, s: int) -> bool:
    lo = max(0, s - 40)
    window = norm[lo:s]
    if "pas" not in window and "jamais" not in window and "ni" not in window and \
            "ment" not in window and "rien" not in window and "impossible" not in window:
        return False
    last = None
    for last in _NEG_STOP.finditer(window):
        pass
    if last is not None:
        window = window[last.end():]
    words = window.split()[-4:]
    return bool(words) and _NEG_WORD.search(" ".join(words)) is not None


_SENT_BREAK = _lazy_re.compile(r"[.;!?\n]|\bou\b")
_SENT_END = _lazy_re.compile(r"[.;!?\n]")


def _gap_ok(norm: str, a: int, b: int, max_words=4, max_chars=32) -> bool:
    if b < a:
        return False
    gap = norm[a:b]
    if len(gap) > max_chars:
        return False
    if _SENT_BREAK.search(gap):
        return False
    return len(gap.split()) <= max_words


_CONNECT_RX = _lazy_re.compile(r"ou|voire|sinon|et|a")   # cheap pre-check before the gap patterns
_OR_GAP = _c(r"\s*,?\s*(?:ou|ou bien|ou alors|voire|ou sinon|sinon|ou eventuellement|ou peut~etre)\s*,?\s*"
             r"(?:au pire |eventuellement |peut~etre )?\Z")
_ENTRE_BEFORE = _c(r"\bentre\s*\Z")
_FROM_BEFORE = _c(r"\b(?:du|de|depuis)\s*\Z")
_ET_GAP = _c(r"\s*(?:et|et le)\s*\Z")
_TO_GAP = _c(r"\s*(?:a|au|jusqu'a|jusqu'au)\s*\Z")
_WEEK_GAP = _c(r"\s*,?\s*(?:de |dans |pendant |durant )?\s*\Z")
_WD_DATE_GAP = _c(r"\s*,?\s*(?:le )?\s*\Z")


# --------------------------------------------------------------------------
# Main entry point
# --------------------------------------------------------------------------


_TOKEN_RX = _lazy_re.compile(r"[a-z]+|[0-9]+|:")
_WIN_BEFORE = 90    # a match may start this far before its trigger word...
_WIN_AFTER = 110    # ... and end this far after it


def _collect(norm: str, today: _dt.date):
    # Where each word occurs ("#" = a run of digits): patterns only run around
    # their trigger words, which keeps long texts fast.
    where = {}
    for m in _TOKEN_RX.finditer(norm):
        w = m.group()
        if w[0] <= "9":
            w = "#"
        lst = where.get(w)
        if lst is None:
            where[w] = [m.start()]
        else:
            lst.append(m.start())
    n = len(norm)
    found = []
    for order, (rx, fn, prio, need) in enumerate(_PATTERNS):
        if need is None:
            windows = ((0, n),)
        else:
            pos = []
            for w in need:
                lst = where.get(w)
                if lst:
                    pos.extend(lst)
            if not pos:
                continue
            if len(pos) > 1:
                pos.sort()
            windows = []
            lo, hi = -1, -1
            for p in pos:
                a, b = p - _WIN_BEFORE, p + _WIN_AFTER
                if a <= hi:
                    hi = b
                else:
                    if hi >= 0:
                        windows.append((max(0, lo), min(n, hi)))
                    lo, hi = a, b
            windows.append((max(0, lo), min(n, hi)))
        for lo, hi in windows:
            for m in rx.finditer(norm, lo, hi):
                if m.end() <= m.start():
                    continue
                if hi < n and m.end() >= hi - 1:   # cut by the window: redo on the whole text
                    m = rx.match(norm, m.start())
                    if m is None or m.end() <= m.start():
                        continue
                try:
                    r = fn(m, today, norm)
                except (ValueError, OverflowError):
                    r = None
                if r is None:
                    continue
                r.prio = prio * 1000 - order
                found.append(r)
    return found


def _resolve_overlaps(items):
    """Longest first (then priority); drop anything overlapping a kept item."""
    items = sorted(items, key=lambda x: (-(x.e - x.s), -x.prio, x.s))
    starts = []   # kept spans are disjoint: sorted starts, ends in the same order
    ends = []
    kept = []
    for it in items:
        i = _bisect.bisect_right(starts, it.s)
        if i > 0 and ends[i - 1] > it.s:
            continue
        if i < len(starts) and starts[i] < it.e:
            continue
        starts.insert(i, it.s)
        ends.insert(i, it.e)
        kept.insert(i, it)
    return kept


def _overlaps_any(x, starts, ends) -> bool:
    i = _bisect.bisect_right(starts, x.s)
    if i > 0 and ends[i - 1] > x.s:
        return True
    return i < len(starts) and starts[i] < x.e


def _merge_into(target: _M, other: _M):
    target.s = min(target.s, other.s)
    target.e = max(target.e, other.e)
    other.used = True


def _analyse(norm: str, today: _dt.date):
    raw = _collect(norm, today)
    dates = [x for x in raw if x.kind in (_DATE, _VAG)]
    extras = [x for x in raw if x.kind in (_TIME, _MOD, _MODDAY)]
    for d in dates:
        if d.kind == _DATE:
            try:
                _apply_modifiers(d, norm, today)
            except (ValueError, OverflowError):
                pass
    dates = _resolve_overlaps(dates)
    ds, de = [d.s for d in dates], [d.e for d in dates]
    kept_extras = []
    for x in extras:
        if not _overlaps_any(x, ds, de):
            kept_extras.append(x)
            continue
        # a time inside a date mention ("jeudi 14h dernier délai") still gives its time
        i = _bisect.bisect_right(ds, x.s) - 1
        d = dates[i] if i >= 0 else None
        if x.t and d is not None and d.kind == _DATE and d.core_e is not None and \
                d.core_e <= x.s and x.e <= d.e and d.t is None:
            d.t = x.t
    extras = kept_extras
    extras = _resolve_overlaps(extras)

    # negation: "pas demain", "je ne peux pas payer jeudi"
    for d in dates:
        if d.kind == _DATE and d.p in (_EXACT, _RANGE) and _negated(norm, d.s):
            if d.deadline:  # "je ne pourrai pas payer avant jeudi"
                d.p, d.d1, d.d2, d.wd = _OPEN, d.d2, None, None
            else:
                d.p, d.d1, d.d2, d.wd = _VAGUE, None, None, None

    dl = [d for d in dates if d.kind == _DATE and d.p in (_EXACT, _RANGE)]
    # "la semaine prochaine, mardi" / "mardi, la semaine prochaine"
    for i, d in enumerate(dl):
        if d.wd is None or d.used:
            continue
        for w in (dl[i - 1] if i > 0 else None, dl[i + 1] if i + 1 < len(dl) else None):
            if w is None or w.week is None or w.used:
                continue
            a, b = (w.e, d.s) if w.s < d.s else (d.e, w.s)
            if _WEEK_GAP.match(norm, a, b) or _WEEK_GAP.search(norm, a, b) and _gap_ok(norm, a, b, 2, 12):
                d.d1 = d.d2 = w.week[0] + _dt.timedelta(days=d.wd)
                _merge_into(d, w)
                d.wd = None
                break
    # "jeudi 26/11", "jeudi, le 26"
    for i, d in enumerate(dl):
        if d.used or d.wd is None or d.p != _EXACT:
            continue
        if i + 1 < len(dl):
            n = dl[i + 1]
            if not n.used and n.p == _EXACT and n.wd is None and _WD_DATE_GAP.match(norm, d.e, n.s):
                _merge_into(n, d)
    dl = [d for d in dl if not d.used]

    # attach parts of the day and times to the nearest adjacent day mention
    starts = [d.s for d in dl]
    for x in extras:
        i = _bisect.bisect_left(starts, x.s)
        best, dist = None, None
        if i > 0 and dl[i - 1].e <= x.s and _gap_ok(norm, dl[i - 1].e, x.s):
            best, dist = dl[i - 1], x.s - dl[i - 1].e
        if i < len(dl) and x.e <= dl[i].s and _gap_ok(norm, x.e, dl[i].s) and \
                (dist is None or dl[i].s - x.e < dist):
            best = dl[i]
        if best is not None and (x.t is None or best.t is None):
            if x.t:
                best.t = x.t
            _merge_into(best, x)
    extra_days = []
    for x in extras:
        if x.used:
            continue
        if x.kind == _MODDAY:
            extra_days.append(_exact(x.s, x.e, today, x.t))
        elif x.kind == _TIME:
            if not dl:
                prev = extra_days[-1] if extra_days else None
                if prev is not None and prev.t and _gap_ok(norm, prev.e, x.s):
                    prev.e = x.e          # "entre 14 h et 16 h": keep the first time
                else:
                    extra_days.append(_exact(x.s, x.e, today, x.t))
                continue
            # a time said apart from the day: the nearest day of the same sentence
            i = _bisect.bisect_left(starts, x.s)
            cands = [d for d in (dl[i - 1] if i > 0 else None, dl[i] if i < len(dl) else None)
                     if d is not None and d.t is None and
                     not _SENT_END.search(norm, min(d.e, x.e), max(d.s, x.s))]
            if cands:
                min(cands, key=lambda d: abs(d.s - x.s)).t = x.t
    if extra_days:
        dl.extend(extra_days)
        dl.sort(key=lambda d: d.s)

    # "jeudi ou vendredi", "entre lundi et mercredi", "du lundi au mercredi"
    out = []
    i = 0
    while i < len(dl):
        d = dl[i]
        n = dl[i + 1] if i + 1 < len(dl) else None
        if n is not None and n.s - d.e < 40 and (d.p == _EXACT or d.deadline) and \
                (n.p == _EXACT or n.deadline) and _CONNECT_RX.search(norm, d.e, n.s):
            combo = False
            if _OR_GAP.match(norm, d.e, n.s):
                combo = True
            elif _ET_GAP.match(norm, d.e, n.s) and _ENTRE_BEFORE.search(norm, max(0, d.s - 12), d.s):
                combo = True
                d.s = _ENTRE_BEFORE.search(norm, max(0, d.s - 12), d.s).start()
            elif _TO_GAP.match(norm, d.e, n.s) and _FROM_BEFORE.search(norm, max(0, d.s - 12), d.s):
                combo = True
                d.s = _FROM_BEFORE.search(norm, max(0, d.s - 12), d.s).start()
            if combo and d.approx == "wd" and n.approx == "wd" and n.p == _EXACT and d.p == _EXACT \
                    and n.d1 < d.d1:
                n.d1 = n.d2 = n.d1 + _dt.timedelta(days=7)   # "lundi ou mardi prochain"
            # the day each one names ("vendredi au plus tard" names Friday)
            a, b = d.d2, n.d2
            if combo and a != b:
                lo = min(a, b) if not d.deadline else min(d.d1, b)
                r = _range(d.s, n.e, lo, max(a, b))
                r.t = d.t or n.t
                out.append(r)
                i += 2
                continue
        out.append(d)
        i += 1
    out.extend(d for d in dates if d.kind == _VAG or d.p in (_VAGUE, _OPEN))
    return out


_RANK = {_EXACT: 3, _RANGE: 2, _OPEN: 1, _VAGUE: 1}


def _pick(mentions, today):
    best, key = None, None
    for m in mentions:
        if m.p in (_EXACT, _RANGE):
            future = 1 if m.d2 >= today else 0
        else:
            future = 1
        k = (_RANK[m.p], future, m.s)
        if key is None or k > key:
            best, key = m, k
    return best


_NONE = {"precision": "none", "start": None, "end": None, "time": None, "text": ""}


def parse_date(text: str, today: _dt.date | None = None) -> dict:
    """Read French date talk. See the module docstring for the contract and rules."""
    if not isinstance(text, str):
        raise TypeError("parse_date() expects a str, not %s" % type(text).__name__)
    if today is None:
        today = _dt.date.today()
    elif isinstance(today, _dt.datetime):
        today = today.date()
    elif not isinstance(today, _dt.date):
        raise TypeError("today must be a datetime.date")
    if not text or text.isspace():
        return dict(_NONE)
    norm, mapper = _normalize(text)
    try:
        mentions = _analyse(norm, today)
        best = _pick(mentions, today)
    except (ValueError, OverflowError, RecursionError):  # pragma: no cover - defensive
        best = None
    if best is None:
        return dict(_NONE)
    s, e = best.s, best.e
    if best.extend:
        stop = _CLAUSE_END.search(norm, e, e + 60)
        e = stop.start() if stop else min(len(norm), e + 60)
        while e > best.e and not norm[e - 1].isalnum():
            e -= 1
        if stop is None and e < len(norm):  # cut at a word boundary
            cut = norm.rfind(" ", best.e, e)
            e = cut if cut > best.e else best.e
    if mapper is not None:
        s, e = mapper(s, e)
    matched = text[s:e].strip()
    p = best.p
    if p == _EXACT:
        return {"precision": "exact", "start": best.d1.isoformat(), "end": best.d1.isoformat(),
                "time": best.t, "text": matched}
    if p == _RANGE:
        return {"precision": "range", "start": best.d1.isoformat(), "end": best.d2.isoformat(),
                "time": best.t, "text": matched}
    start = best.d1.isoformat() if (p == _OPEN and best.d1 is not None) else None
    return {"precision": "vague", "start": start, "end": None, "time": None, "text": matched}


# --------------------------------------------------------------------------
# French formatting helpers
# --------------------------------------------------------------------------


def _as_date(d) -> _dt.date:
    if isinstance(d, _dt.datetime):
        return d.date()
    if isinstance(d, _dt.date):
        return d
    if isinstance(d, str):
        return _dt.date.fromisoformat(d)
    raise TypeError("expected a date or an ISO date string")


def as_date(iso) -> _dt.date | None:
    """A date from an ISO text ("2026-12-04"), a date as is, None as None."""
    if iso is None:
        return None
    if isinstance(iso, _dt.date):
        return iso
    return _dt.date.fromisoformat(iso)


def format_date_fr(d, with_year: bool = False) -> str:
    """``date(2026, 11, 26)`` → ``"jeudi 26 novembre"``; the 1st is ``"1er"``."""
    d = _as_date(d)
    day = "1er" if d.day == 1 else str(d.day)
    out = "%s %s %s" % (WEEKDAYS_FR[d.weekday()], day, MONTHS_FR[d.month - 1])
    if with_year:
        out += " %d" % d.year
    return out


def format_time_fr(t) -> str:
    """``"14:30"`` → ``"14 h 30"``, ``"09:00"`` → ``"9 h"``, ``"12:00"`` → ``"midi"``."""
    if t is None:
        return ""
    h, m = (int(x) for x in str(t).split(":")[:2])
    if m == 0 and h == 12:
        return "midi"
    if m == 0 and h == 0:
        return "minuit"
    return "%d h" % h if m == 0 else "%d h %02d" % (h, m)


def format_result_fr(result: dict, with_year: bool = False) -> str:
    """A French phrase for a ``parse_date`` result."""
    p = result.get("precision")
    t = result.get("time")
    at = ""
    if t:
        ft = format_time_fr(t)
        at = " à " + ft
    if p == "exact":
        return "le " + format_date_fr(result["start"], with_year) + at
    if p == "range":
        a, b = result.get("start"), result.get("end")
        if a and b and a != b:
            return "entre le %s et le %s%s" % (format_date_fr(a, with_year),
                                               format_date_fr(b, with_year), at)
        return "au plus tard le " + format_date_fr(b or a, with_year) + at
    if p == "vague":
        if result.get("start"):
            return "pas avant le " + format_date_fr(result["start"], with_year)
        return "sans date précise"
    return ""


# --------------------------------------------------------------------------- working days

def working_day(day: _dt.date) -> _dt.date:
    """The day itself, or the Monday after when it falls on a weekend (a payment day)."""
    return day + _dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def last_working_day(day: _dt.date) -> _dt.date:
    """The day itself, or the Friday before it when it falls on a weekend ("fin janvier")."""
    while day.weekday() >= 5:
        day -= _dt.timedelta(days=1)
    return day


def working_days_after(day: _dt.date, days: int) -> _dt.date:
    """The working day that many working days after `day` (a cheque posted arrives…)."""
    while days:
        day += _dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day
