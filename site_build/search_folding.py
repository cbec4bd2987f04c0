"""Make the site search accent-insensitive: "echeance" finds "échéance".

Lunr's French pipeline keeps accents, so a learner typing without them finds
nothing. After the search plugin has written its index, each section whose text
holds accented words gets their accent-free forms appended in a hidden span:
indexed, never shown in the result previews. Folding an index twice changes
nothing (the span is written anew).

Only mkdocs-material's index (`search/search_index.json`) needs it: Zensical's
search (`search.json`) already finds "échéance" from "echeance", and would show
the added words in its result previews.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
TAG = re.compile(r"<[^>]+>")
FOLDED = re.compile(r' <span class="search-folded" hidden>[^<]*</span>$')
#: Where mkdocs-material's search plugin writes its index, relative to the site.
LUNR_INDEX = "search/search_index.json"


def fold(word: str) -> str:
    """Remove diacritics: "Échéance" -> "Echeance"."""
    if word.isascii():  # most words: nothing to remove
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def folded_words(html: str) -> list[str]:
    """The accent-free forms of the accented words of a text, each once, in order."""
    seen, out = set(), []
    for word in WORD.findall(TAG.sub(" ", html)):
        plain = fold(word)
        if plain != word and plain.lower() not in seen:
            seen.add(plain.lower())
            out.append(plain)
    return out


def index_files(site: Path) -> list[Path]:
    """The search indexes of the site that keep accents (none for a Zensical build)."""
    return [site / LUNR_INDEX] if (site / LUNR_INDEX).is_file() else []


def fold_index(index_path: Path) -> int:
    """Rewrite the search index in place; return how many sections were extended."""
    index = json.loads(index_path.read_text(encoding="utf-8"))
    changed = 0
    for doc in index.get("docs", []):
        text = FOLDED.sub("", doc.get("text", ""))
        extra = folded_words(doc.get("title", "") + " " + text)
        if extra:
            text += f' <span class="search-folded" hidden>{" ".join(extra)}</span>'
            changed += 1
        if "text" in doc or extra:
            doc["text"] = text
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return changed
