"""Finding the facts, services, networks and grants that answer a free-text question.

Character n-gram TF-IDF over each text in both languages tolerates typos,
plurals and French/English word forms. The index is rebuilt when an import
bumps the knowledge revision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH_STOP_WORDS
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from assistant.db import models
from assistant.queries.cache import RevisionCache
from assistant.text import SENTENCE_BREAK, first_sentences, normalise

# Words of the question itself, not of its topic, in both languages.
QUESTION_WORDS = frozenset(
    [
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "whose",
        "how",
        "many",
        "much",
        "there",
        "are",
        "is",
        "was",
        "were",
        "does",
        "did",
        "have",
        "has",
        "your",
        "you",
        "the",
        "about",
        "tell",
        "give",
        "know",
        "want",
        "would",
        "could",
        "should",
        "can",
        "from",
        "with",
        "this",
        "that",
        "they",
        "them",
        "their",
        "for",
        "and",
        "any",
        "some",
        "quoi",
        "quand",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "combien",
        "comment",
        "est",
        "sont",
        "etait",
        "avez",
        "vous",
        "votre",
        "vos",
        "les",
        "des",
        "une",
        "pour",
        "avec",
        "dans",
        "sur",
        "par",
        "qui",
        "que",
        "quoi",
        "estce",
        "cest",
        "elle",
        "ils",
        "elles",
        "faire",
        "peut",
        "peux",
        "puis",
        "donner",
        "savoir",
        "entre",
        "between",
    ]
)

# spaCy's English and French stop words, but those that narrow what is asked here: numbers, "first", "since",
# "before", "during", "without", "full" (a full year), "per", "top".
MEANINGFUL_STOP_WORDS = frozenset(
    ["first", "full", "top", "per", "since", "after", "before", "during", "every", "without",
     "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
     "premier", "premiere", "premiers", "depuis", "avant", "apres", "pendant", "sans", "hors",
     "un", "une", "deux", "trois", "quatre", "cinq", "sept", "huit", "neuf", "dix"]
)  # fmt: skip
COMMON_WORDS = frozenset(normalise(" ".join(ENGLISH_STOP_WORDS | FRENCH_STOP_WORDS)).split()) - MEANINGFUL_STOP_WORDS
DISTINCTIVE_LENGTH = 5  # a word's first letters compared, so that "student" finds "students", "étudiants"
MIN_DISTINCTIVE_WORD = 4  # "fees" and "cost" carry the question as much as longer words

FACT = "fact"
SERVICE = "service"
NETWORK = "network"
GRANT = "grant"
CONTACT = "contact"
INSTITUTION = "institution"

YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
# A year the question names ("what happened in 1951?") is the surest sign of the fact it wants.
YEAR_BONUS = 0.5
# "What is X?" wants the text that describes X, not one of its figures; short figure texts
# ("PRESAGE has 3 consultation rooms.") otherwise outscore a long description.
DEFINITION_QUESTION = re.compile(
    r"\b(what is|what s|whats|what are|what does|c est quoi|cest quoi|qu est ce que|qu est ce qu|quest ce que|"
    r"quest ce qu|que signifie|que veut dire)\b"
)
MAX_DEFINED_WORDS = 2
DEFINITION_OPENING_WORDS = 2  # "The Eurasante agency ...": the name within the text's first words  # "what is PRESAGE", "what is Circle U": a name, not a whole question
DEFINITION_MARGIN = 0.1
# Character n-grams also match inside words ("sites" in "universités"): a question word starting a word
# of the text is a surer sign, worth up to this much.
WORD_START_BONUS = 0.1
# The kind of answer a question wants, on its normalised words, and what a text giving it holds:
# "how many" wants a number, "when" a year, "website" an address, "how far" a distance or a time, "how long" a
# duration.


class AnswerKind(NamedTuple):
    """A kind of answer: what a question wanting it says, and what a text giving it holds."""

    name: str
    wants: re.Pattern[str]
    gives: re.Pattern[str]


ANSWER_KINDS = (
    AnswerKind(
        "amount",
        re.compile(
            r"\b(how much (?:is|are|does|do|money|will)|cost|costs|price|prices|fee|fees|tuition|rent|amount|"
            r"montant|cout|coute|coutent|couts|prix|tarif|tarifs|loyer|combien par mois|par mois|per month)\b"
        ),
        re.compile(r"€|\beuros?\b|\bEUR\b|\bfree of charge\b|\bgratuite?s?\b", re.IGNORECASE),
    ),
    AnswerKind(
        "number",
        re.compile(r"\b(how many|how much|number of|combien|nombre)\b"),
        # A count, not a share: "34 units", not "25 % of Inserm's research".
        re.compile(
            # Not "3D", "1st", "2nd cycle".
            r"\d+(?:[ ,.]\d+)*(?!\s?%)(?![\d,.])(?![^\W\d_])|"
            r"\b(?:dozens?|hundreds?|thousands?|millions?|douzaines?|centaines?|milliers?|mille|millions?)\b",
            re.IGNORECASE,
        ),
    ),
    AnswerKind(
        "year",
        # Not "which year" alone: "à partir de quelle année ?" asks for a year of study as often as a date.
        re.compile(
            # "Who founded it?", "co-fondé par qui ?" want a founder, not a year.
            r"\b(when|since when|in what year|in which year|how long ago|quand|depuis quand|en quelle annee|"
            r"il y a combien (?:de temps|d annees|d ans))\b|"
            r"(?<!who )(?<!who co )(?<!qui a )(?<!qui a co )(?<!qui l a )(?<!qui l a co )"
            r"\b(?:founded|created|established|fonde|fondee)\b(?! by\b| par\b)"
        ),
        re.compile(r"\b(1[5-9]\d\d|20\d\d)\b"),
    ),
    AnswerKind(
        "website",
        re.compile(r"\b(website|web site|web page|url|link|site web|site internet|lien|page web)\b"),
        re.compile(r"www\.|https?://|\b[a-z0-9-]+\.(fr|com|eu|org)\b", re.IGNORECASE),
    ),
    AnswerKind(
        "distance",
        re.compile(r"\b(how far|distance|how long by|far from|loin|a quelle distance|(?<!il y a )combien de temps)\b"),
        re.compile(r"\b(\d+\s?(km|h|minutes?|min))\b|\b\d+ h \d+\b", re.IGNORECASE),
    ),
    AnswerKind(
        "duration",
        re.compile(
            r"\b(how long(?! ago)|duration|how many (?:years|months|weeks)|duree|dure|combien d (?:annees|ans|mois))\b"
        ),
        re.compile(
            r"\b\d+ ?(?:(?:to|-|a|à) ?\d+ ?)?"
            r"(?:years?|months?|weeks?|days?|hours?|minutes?|ans|annees|mois|semaines?|jours|heures?)\b"
        ),
    ),
    AnswerKind(
        "size",
        re.compile(
            r"\b(how big|size|surface|area|superficie|taille|grand|how much space|floor space|espace|"
            r"square met(?:re|er)s?|sq m|metres? carres?|m2)\b|m²"
        ),
        re.compile(r"m²|m2\b|square|hectares?|\d[\d ,.]* ?m\b", re.IGNORECASE),
    ),
)
# Kinds one wording asks for at once, either answering it: "combien de temps ?" is a distance or a duration.
SAME_QUESTION = {"distance": {"duration"}, "duration": {"distance"}}
# A word written with a capital letter: a name ("Shanghai", "QS", "McGill").
WORD_STOPS = re.compile(r"(?<=\w)\.(?=\w)")
CAPITALISED_WORD = re.compile(r"\b[A-ZÀ-Ý][\w'-]*")
# A name this long or longer is also looked for misspelt, in words this close (rapidfuzz's ratio).
MIN_FUZZY_NAME = 5
CLOSE_SPELLING = 80
FACT_HEADING = re.compile(r"^([^\s:()]{2,20}) ?[:(]")
OPENING = re.compile(r"^[^:(]{2,40}(?=[:(])")  # what a fact's text says before its first colon or bracket
CODES = re.compile(r"\b([A-Z]{2,8})-(\d(?:/\d)*)\b")  # "MED-4/5/6": MED-4, MED-5 and MED-6
# A text whose name the question says ("InclusU", "the 3i network") is worth this much more.
NAME_BONUS = 0.3
# A text matching the question said with other words of search_words.yml counts this share of a match of its own
# words; at most this many ways of saying it are tried.
SAID_OTHERWISE_WEIGHT = 0.9
MAX_SAID_OTHERWISE = 40
# A text holding the kind of answer asked for is worth this much more.
ANSWER_KIND_BONUS = 0.2
# The texts of the institution the question is about (the medical school, unless its university is named) come
# before its parent's when they score at least this share as well: "how many students at Lille med school?" is not
# the university's count, although the university's text, with a shorter name, matches the words better.
OTHER_INSTITUTION_WEIGHT = 0.8


@dataclass(frozen=True)
class Document:
    """A searchable text: what it is, its id, its institution and topic."""

    kind: str
    id: str
    institution: str
    topic: str
    text: str
    figure: bool = False
    # What the text is called (a network and its aliases, a service, a grant): said in a question, it is what
    # the question is about.
    names: tuple[str, ...] = ()
    # The name a fact starts with ("PACES (1st year): ..."): what the question is about when the question itself
    # says it, not an earlier one ("how many rooms?" after "what is PRESAGE?" is not PRESAGE's definition).
    heading: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    kind: str
    id: str
    institution: str
    topic: str
    score: float
    text: str
    # Whether the question says the text's name or the name it starts with ("PACES (1st year): ...").
    named: bool = False

    def covers(self, question: str, share: float = 0.75) -> bool:
        """Whether the text holds most of the question's distinctive words (their first five letters), those asking
        for a kind of answer aside: "l'internat dure combien de temps ?" is about "internat"."""
        words = topic_words(question)
        if not words:
            return False
        text = normalise(self.text)
        return sum(word in text for word in words) / len(words) >= share


class TextIndex:
    """TF-IDF index of one knowledge revision."""

    def __init__(self, revision: int, documents: list[Document], same_words: list[list[str]] | None = None) -> None:
        self.revision = revision
        self.documents = documents
        searched = [search_text(document.text) for document in documents]
        corpus = f" {' '.join(searched)} "
        # Each group of search_words.yml: a pattern finding its words, the words, and those no text uses (a question
        # in the documents' own words is matched as it is). Worked out once per revision.
        self._same_words = [
            (
                re.compile(
                    r"\b(?:" + "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)) + r")\b"
                ),
                words,
                frozenset(word for word in words if f" {word} " not in corpus),
            )
            for group in same_words or []
            if (words := [search_text(word) for word in group if search_text(word)])
        ]
        self._normalised = [normalise(document.text) for document in documents]
        # Every word of the texts, also written without its inner stops ("Ph.D." is "phd"), and of search_words.yml.
        self._vocabulary = sorted(
            {word for text in self._normalised for word in text.split()}
            | {word for document in documents for word in normalise(WORD_STOPS.sub("", document.text)).split()}
            | {word for group in same_words or [] for said in group for word in normalise(said).split()}
        )
        self._vocabulary_set = frozenset(self._vocabulary)
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1)
        self._matrix = self._vectorizer.fit_transform(searched) if documents else None
        # For each kind of answer (ANSWER_KINDS), which documents give one: worked out once per revision.
        self._gives = [np.array([bool(kind.gives.search(d.text)) for d in documents]) for kind in ANSWER_KINDS]
        self._names = [_names_pattern(d.names) for d in documents]
        self._headings = [_names_pattern(d.heading) for d in documents]

    def _said_otherwise(self, query: str) -> list[str]:
        """The query with a word of a group of search_words.yml replaced by each other word of the group: "foreign
        students" is also "international students", "étudiants internationaux"."""
        variants = []
        for pattern, words, unused in self._same_words:
            found = pattern.search(query)
            if found and found.group(0) in unused:
                variants += [
                    f"{query[: found.start()]}{word}{query[found.end() :]}" for word in words if word != found.group(0)
                ]
        return variants[:MAX_SAID_OTHERWISE]

    def unmentioned_names(self, message: str) -> list[str]:
        """The names a message writes with a capital letter (not a sentence's first word) that no text uses, even
        misspelt: "QS", "Shanghai" in "what is your rank in the Shanghai ranking?"."""
        unmentioned = []
        for sentence in re.split(r"[.!?]\s+", message):
            for written in (
                CAPITALISED_WORD.findall(sentence)[1:] if sentence[:1].isupper() else CAPITALISED_WORD.findall(sentence)
            ):
                word = normalise(written)
                if not word or word in QUESTION_WORDS or any(part in self._vocabulary_set for part in word.split()):
                    continue
                close = len(word) >= MIN_FUZZY_NAME and process.extractOne(
                    word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=CLOSE_SPELLING
                )
                if not close:
                    unmentioned.append(written)
        return unmentioned

    def institutions_defining(self, question: str) -> set[str]:
        """The institutions with a text holding every word of X in a "what is X?" question; none for others."""
        defined = defined_words(question)
        if not defined:
            return set()
        return {
            document.institution
            for document, text in zip(self.documents, self._normalised, strict=True)
            if _holds(text, defined)
        }

    def search(
        self,
        question: str,
        kinds: tuple[str, ...],
        institutions: list[str] | None = None,
        topics: tuple[str, ...] | None = None,
        limit: int = 3,
        min_score: float = 0.08,
        preferred: str | None = None,
        earlier: str = "",
        said_otherwise: bool = True,
    ) -> list[Hit]:
        """The best-matching documents of the given kinds (and institutions, topics), best first; those of the
        `preferred` institution a little ahead. The words of an `earlier` question the message follows up ("what
        is PRESAGE?" before "how big?") are matched too, but what kind of answer is wanted is the message's.
        A question using words no text does is also matched said otherwise (search_words.yml), unless
        `said_otherwise` is False."""
        query = search_text(question)
        if self._matrix is None or not query:
            return []
        asked = normalise(question)
        if earlier and any(names and names.search(asked) for names in self._names):
            # A follow-up naming a text is about it: "who are the partners in the 3i network?" after the alliances.
            earlier = ""
        asked_before = search_text(earlier)
        variants = [query, *(self._said_otherwise(query) if said_otherwise else ())]
        matched = linear_kernel(
            self._vectorizer.transform([f"{variant} {asked_before}".strip() for variant in variants]), self._matrix
        )
        scores = matched[0]
        if len(variants) > 1:
            scores = np.maximum(scores, SAID_OTHERWISE_WEIGHT * matched[1:].max(axis=0))
        for year in set(YEAR.findall(question)):
            scores = scores + YEAR_BONUS * np.array([year in document.text for document in self.documents])
        named = f"{asked} {normalise(earlier)}"
        name_said = np.array(
            [
                bool(names and names.search(named)) or bool(heading and heading.search(asked))
                for names, heading in zip(self._names, self._headings, strict=True)
            ]
        )
        scores = scores + NAME_BONUS * name_said
        # The kind of answer the message wants; "and the whole university?" wants what the question it follows did.
        wanting = asked if any(kind.wants.search(asked) for kind in ANSWER_KINDS) else named
        for kind, giving in zip(ANSWER_KINDS, self._gives, strict=True):
            if kind.wants.search(wanting):
                scores = scores + ANSWER_KIND_BONUS * giving
        words = distinctive_words(query)
        if words:
            starts = re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + ")")
            scores = scores + WORD_START_BONUS * np.array(
                [len(set(starts.findall(text))) / len(words) for text in self._normalised]
            )
        eligible = np.array(
            [
                document.kind in kinds
                and (institutions is None or document.institution in institutions)
                and (topics is None or document.topic in topics)
                for document in self.documents
            ]
        )
        if earlier:
            # A follow-up is answered by a text that holds one of its own words or the kind of answer it wants:
            # "what's the weather?" after PRESAGE is not about PRESAGE.
            own = distinctive_words(question)
            wanted = [
                giving for kind, giving in zip(ANSWER_KINDS, self._gives, strict=True) if kind.wants.search(asked)
            ]
            holds = np.array([any(word in text for word in own) for text in self._normalised])
            eligible = eligible & (holds | np.logical_or.reduce(wanted) if wanted else holds)
        defined = defined_words(question)
        if defined:
            holding = eligible & np.array([_holds(text, defined) for text in self._normalised])
            describing = holding & np.array([not document.figure for document in self.documents])
            # "Eurasante is an agency for ...", which starts with the name, defines it better than a text that
            # only mentions it.
            starting = describing & np.array([_starts_with(text, defined) for text in self._normalised])
            if starting.any():
                describing = starting
            if describing.any():
                # Ahead of the texts that hold the same words, without making the question look more specific.
                scores = np.where(describing, scores[holding].max() + DEFINITION_MARGIN * scores, scores)
        # The preferred institution's texts come first among the matches, without making any match look closer.
        ranking = scores * np.array(
            [
                1.0 if preferred is None or document.institution == preferred else OTHER_INSTITUTION_WEIGHT
                for document in self.documents
            ]
        )
        ranked = sorted(
            (
                (
                    rank,
                    Hit(
                        document.kind,
                        document.id,
                        document.institution,
                        document.topic,
                        float(score),
                        document.text,
                        bool(is_named),
                    ),
                )
                for document, score, rank, wanted, is_named in zip(
                    self.documents, scores, ranking, eligible, name_said, strict=True
                )
                if wanted and score >= min_score
            ),
            key=lambda item: -item[0],
        )
        hits = [hit for _, hit in ranked]
        unique: dict[tuple[str, str], Hit] = {}
        for hit in hits:
            unique.setdefault((hit.kind, hit.id), hit)
        return list(unique.values())[:limit]


def search_text(text: str) -> str:
    """The words that carry the topic: no question words, nothing shorter than three letters but names with a
    digit ("3i")."""
    return " ".join(
        word
        for word in normalise(text).split()
        if (len(word) >= 3 or (len(word) == 2 and any(char.isdigit() for char in word))) and word not in QUESTION_WORDS
    )


def distinctive_words(text: str) -> list[str]:
    """The topic words of `text` by their first letters, so that "traineeships" is "traineeship"."""
    return [word[:DISTINCTIVE_LENGTH] for word in search_text(text).split() if len(word) >= MIN_DISTINCTIVE_WORD]


def topic_words(question: str) -> list[str]:
    """The distinctive words of a question without those asking for a kind of answer ("how long", "combien") and
    without the common words that say nothing of its topic ("take part", "each", "propose"); its distinctive words
    when that leaves none."""
    return _words_of_topic(question) or distinctive_words(question)


def names_a_topic(question: str) -> bool:
    """Whether a question says what it is about, beyond the kind of answer it wants ("how long?" does not)."""
    return bool(_words_of_topic(question))


def _words_of_topic(question: str) -> list[str]:
    asked = normalise(question)
    for kind in ANSWER_KINDS:
        asked = kind.wants.sub(" ", asked)
    return distinctive_words(" ".join(word for word in asked.split() if word not in COMMON_WORDS))


def defined_words(question: str) -> list[str]:
    """The words of X in a "what is X?" question ("c'est quoi PRESAGE ?"); none for other questions."""
    if not DEFINITION_QUESTION.search(normalise(question)):
        return []
    words = search_text(question).split()
    return words if len(words) <= MAX_DEFINED_WORDS else []


def answering_sentences(text: str, question: str, limit: int, names: tuple[str, ...] = ()) -> str:
    """The sentence of `text` that answers the question, when it is not the first: "how many faculties?" is
    answered by "It brings together 53 faculties", not by when the network was created; a question wanting a
    kind of answer (a number, a date) gets only the sentence giving it. Otherwise, and for "what is X?", the first
    sentences within `limit` characters. The `names` of what the text is about tell no sentence apart:
    "InclusU's German partner?" is answered by the sentence on its German partner, not by one on inclusion."""
    sentences = SENTENCE_BREAK.split(text.strip())
    if len(sentences) == 1:
        return text
    words = distinctive_words(_without_names(question, names))
    if defined_words(question):
        # "What's InterUniSanté? Who founded it?": what it is, and the sentence saying what else was asked.
        first = first_sentences(text, limit)
        beyond = [word for word in topic_words(_without_names(question, names)) if word not in normalise(first)]
        more = next((one for one in sentences[1:] if any(word in normalise(one) for word in beyond)), None)
        return f"{first} {more}" if more and more not in first else first
    wanted = [kind.gives for kind in wanted_kinds(question)]

    def answers(sentence: str) -> int:
        folded = normalise(sentence)
        return sum(word in folded for word in words) + any(gives.search(sentence) for gives in wanted)

    best = max(range(len(sentences)), key=lambda rank: (answers(sentences[rank]), -rank))
    if answers(sentences[best]) <= answers(sentences[0]) and not any(gives.search(sentences[0]) for gives in wanted):
        return first_sentences(text, limit)
    # The sentence that gives the value asked for ("how many faculties?"), alone.
    return sentences[best]


def wanted_kinds(question: str) -> list[AnswerKind]:
    """The kinds of answer a question wants ("how much is the rent?": a number and an amount)."""
    asked = normalise(question)
    return [kind for kind in ANSWER_KINDS if kind.wants.search(asked)]


def kinds_not_given(wanted: list[AnswerKind], texts: list[str]) -> list[str]:
    """The kinds of answer wanted (`wanted_kinds`) that none of the texts gives ("how much is the rent?" answered by
    the number of students: an amount), by name."""
    related = {name for kind in wanted for name in SAME_QUESTION.get(kind.name, set())}
    given = {
        kind.name
        for kind in ANSWER_KINDS
        if (kind in wanted or kind.name in related) and any(kind.gives.search(text) for text in texts)
    }
    return [kind.name for kind in wanted if kind.name not in given and not given & SAME_QUESTION.get(kind.name, set())]


def _without_names(question: str, names: tuple[str, ...]) -> str:
    """The question (normalised) without the names it says."""
    asked = f" {normalise(question)} "
    for spelling in sorted({normalise(name) for name in names if normalise(name)}, key=len, reverse=True):
        asked = asked.replace(f" {spelling} ", " ")
    return asked.strip()


def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """The names as whole words of a normalised text; None when there are none."""
    spellings = [normalise(name) for name in names if len(normalise(name)) >= 2]
    return re.compile(r"\b(?:" + "|".join(re.escape(name) for name in spellings) + r")\b") if spellings else None


def fact_name(text: str) -> tuple[str, ...]:
    """The one-word name a fact's text starts with, before a colon or a bracket ("PACES (1st year): ...",
    "PRESAGE: ..."), which "what is PACES?" names, and each code its opening names: "MED-4/5/6 (...)" is named by
    "MED-4 to MED-6", "MED-2 and MED-3 (...)" by "MED-3"; none otherwise."""
    heading = FACT_HEADING.match(text)
    names = (heading.group(1),) if heading and not heading.group(1).isdigit() else ()
    opening = OPENING.match(text)
    codes = [
        f"{code.group(1)}-{number}"
        for code in CODES.finditer(opening.group(0) if opening else "")
        for number in code.group(2).split("/")
    ]
    return tuple(dict.fromkeys([*names, *codes]))


def _starts_with(text: str, words: list[str]) -> bool:
    """Whether the first words of a normalised text hold every one of `words` (their first letters)."""
    opening = " ".join(text.split()[: len(words) + DEFINITION_OPENING_WORDS])
    return _holds(opening, words)


def _holds(text: str, words: list[str]) -> bool:
    return all(word[:DISTINCTIVE_LENGTH] in text for word in words)


def load_same_words(session: Session) -> list[list[str]]:
    """The groups of words meaning the same thing (search_words.yml), in file order."""
    return [
        list(row.words)
        for row in session.execute(select(models.SearchWords).order_by(models.SearchWords.position)).scalars()
    ]


def load_documents(session: Session) -> list[Document]:
    """Every searchable text, once per language."""
    documents: list[Document] = []
    for fact in session.execute(select(models.Fact)).scalars():
        documents += [
            Document(
                FACT,
                fact.id,
                fact.institution,
                fact.topic,
                text,
                figure=fact.value is not None,
                heading=fact_name(text),
            )
            for text in (fact.text_en, fact.text_fr)
        ]
    for service in session.execute(select(models.Service)).scalars():
        for name, summary in ((service.name_en, service.summary_en), (service.name_fr, service.summary_fr)):
            documents.append(
                Document(
                    SERVICE,
                    service.id,
                    service.institution,
                    "services",
                    f"{name}. {summary or ''}",
                    names=(service.name_en, service.name_fr),
                )
            )
    for network in session.execute(select(models.Network)).scalars():
        names = " ".join([network.name, *network.aliases])
        for summary in (network.summary_en, network.summary_fr):
            documents.append(
                Document(
                    NETWORK,
                    network.id,
                    network.institution,
                    network.kind,
                    f"{names}. {summary or ''} {network.url or ''}".strip(),
                    names=(network.name, *network.aliases),
                )
            )
    for contact in session.execute(select(models.Contact)).scalars():
        for role in (contact.role_en, contact.role_fr):
            described = " ".join(
                part for part in (role, contact.person, contact.address and "address adresse postale") if part
            )
            documents.append(Document(CONTACT, contact.id, contact.institution, "contacts", described))
    for institution in session.execute(select(models.Institution)).scalars():
        if institution.website:
            for name, words in ((institution.name_en, "website web site"), (institution.name_fr, "site internet web")):
                documents.append(
                    Document(
                        INSTITUTION,
                        institution.id,
                        institution.id,
                        "identity",
                        f"{name} {words}: {institution.website}",
                    )
                )
    for grant in session.execute(select(models.Grant)).scalars():
        for name, summary in ((grant.name_en, grant.summary_en), (grant.name_fr, grant.summary_fr)):
            documents.append(
                Document(
                    GRANT,
                    grant.id,
                    grant.institution,
                    "grants",
                    f"{name}. {summary or ''}",
                    names=(grant.name_en, grant.name_fr),
                )
            )
    return documents


class TextIndexCache(RevisionCache[TextIndex]):
    """The current `TextIndex`, rebuilt after an import."""

    def __init__(self, engine: Engine | None = None, check_interval: float = 2.0) -> None:
        super().__init__(
            lambda session, revision: TextIndex(revision, load_documents(session), load_same_words(session)),
            engine,
            check_interval,
        )
