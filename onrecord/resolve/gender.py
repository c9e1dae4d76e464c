"""The gender of the people of one article, from what the article itself says about them.

Why: "she" and "Mrs. Clinton" must not go to a man of the article (a namesake, or the man the woman
was just talking about).  Evidence, strongest first: a gendered title before a mention ("Mrs.",
"Mr.", "Congresswoman"), a given name borne almost only by one sex (rule data compiled from general
knowledge, `data/female_names.txt`, `data/male_names.txt`), and the article's own safe readings: a
gendered pronoun later in a sentence that names that person and nobody else, outside quotations.
Disagreeing titles or readings leave the gender unknown: a wrong gender would forbid the right reading.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache

from spacy.tokens import Doc, Token

from onrecord.datafiles import lines

FEMALE, MALE = "female", "male"
PRONOUNS = {
    **dict.fromkeys(("he", "him", "his", "himself"), MALE),
    **dict.fromkeys(("she", "her", "hers", "herself"), FEMALE),
}
TITLES = {
    **dict.fromkeys(("mrs.", "mrs", "ms.", "ms", "miss", "madam", "madame", "dame", "lady"), FEMALE),
    **dict.fromkeys(("congresswoman", "councilwoman", "chairwoman", "spokeswoman", "queen", "princess"), FEMALE),
    **dict.fromkeys(("mr.", "mr", "sir", "lord", "congressman", "councilman", "king", "prince"), MALE),
}
NOUNS = {  # person nouns that say the sex ("the man at the counter … he says")
    **dict.fromkeys(("woman", "girl", "mother", "daughter", "sister", "wife", "grandmother", "aunt"), FEMALE),
    **dict.fromkeys(("businesswoman", "actress", "niece", "widow", "lady", "congresswoman"), FEMALE),
    **dict.fromkeys(("man", "boy", "father", "son", "brother", "husband", "grandfather", "uncle"), MALE),
    **dict.fromkeys(("businessman", "actor", "nephew", "widower", "gentleman", "spokesman"), MALE),
}
READING_MARGIN = 3  # pronoun readings decide only when one gender has ≥ 3 times the other's


@lru_cache(maxsize=1)
def given_name_genders() -> dict[str, str]:
    """Given name (lower case) -> 'female' | 'male'; a name in both lists is in neither."""
    female = {w for line in lines("onrecord.resolve", "data/female_names.txt") for w in line.split()}
    male = {w for line in lines("onrecord.resolve", "data/male_names.txt") for w in line.split()}
    return {**dict.fromkeys(female - male, FEMALE), **dict.fromkeys(male - female, MALE)}


def title_gender(tokens: Sequence[Token], first: int) -> str | None:
    """The gender of the title right before token `first` ("Mrs. Clinton", "Rep. Ms. Vell" is not
    English; one title is read)."""
    if first <= 0:
        return None
    return TITLES.get(tokens[first - 1].lower_)


def name_gender(name: str) -> str | None:
    """The gender of a full name's given name ("Anna Vell"); a lone surname tells nothing."""
    words = name.split()
    return given_name_genders().get(words[0].lower()) if len(words) >= 2 else None


def pronoun_after(doc: Doc, token: int, in_quote: Callable[[int], bool]) -> str | None:
    """The gender of the first he/she/his/her after `token` in its sentence, outside quotations, unless
    another person is named before it ("Vell said a report by Mayor Brandt blamed him": him is Brandt)."""
    sent = doc[token].sent
    for word in doc[token + 1 : sent.end]:
        if word.ent_type_ == "PERSON" and not in_quote(word.idx):
            return None
        gender = PRONOUNS.get(word.lower_)
        if gender is not None and not in_quote(word.idx):
            return gender
    return None


def decide(titled: list[str], named: str | None, read: list[str]) -> str | None:
    """One gender from the evidence: titles if they agree, else the given name, else a clear
    majority of the safe pronoun readings."""
    if titled:
        return titled[0] if len(set(titled)) == 1 else None
    if named is not None:
        return named
    female, male = read.count(FEMALE), read.count(MALE)
    if female >= READING_MARGIN * male and female:
        return FEMALE
    if male >= READING_MARGIN * female and male:
        return MALE
    return None


def readings(doc: Doc, mentions: list[tuple[int, object]], in_quote: Callable[[int], bool]) -> dict[int, list[str]]:
    """Safe pronoun readings: for every sentence that names exactly one person outside quotations,
    the genders of the he/she/his/her after that name in the sentence (also outside quotations).
    `mentions` are (token start, entity) in text order; the result is keyed by id(entity)."""
    found: dict[int, list[str]] = {}
    starts = [s for s, _ in mentions]
    for sent in doc.sents:
        lo, hi = bisect_right(starts, sent.start - 1), bisect_right(starts, sent.end - 1)
        named = [(s, e) for s, e in mentions[lo:hi] if not in_quote(doc[s].idx)]
        if not named or len({id(e) for _, e in named}) != 1:
            continue
        first, entity = named[0]
        for word in doc[first + 1 : sent.end]:
            gender = PRONOUNS.get(word.lower_)
            if gender is not None and not in_quote(word.idx):
                found.setdefault(id(entity), []).append(gender)
    return found


def noun_gender(lemma: str) -> str | None:
    """The sex a person noun or title says ("woman", "spokesman", "Mrs."), else None ("owner")."""
    return NOUNS.get(lemma) or TITLES.get(lemma)
