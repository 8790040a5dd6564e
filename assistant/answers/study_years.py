"""What the schools' codes for a year of medical studies mean ("DFGSM3", "DFASM1", "PACES")."""

from __future__ import annotations

import re

from assistant.answers.common import Context, Reply, localised, reply
from assistant.queries.schools import family
from assistant.queries.search import TextIndex
from assistant.queries.snapshot import Snapshot
from assistant.text import normalise

# A question asking what a code means, on normalised text: "what does DFGSM3 mean?", "DFASM1 ça veut dire quelle
# année ?", "c'est quoi le DFGSM3 ?".
MEANING_QUESTION = re.compile(
    r"\b(?:mean|means|meaning|stand for|stands for|what is|what s|whats|which year|what year|veut dire|signifie|"
    r"c est quoi|cest quoi|qu est ce que|quelle annee|correspond)\b"
)


def answer_study_year_code(snapshot: Snapshot, context: Context, index: TextIndex) -> list[Reply]:
    """The year of studies each code the message names stands for, when the message asks what it means; none
    otherwise, or when a text of the school's documents is about that code ("PACES (1st year): ..." says more)."""
    said = context.said_now or context.text
    if not MEANING_QUESTION.search(normalise(said)):
        return []
    in_scope = family(snapshot, context.school) if context.school else None
    described = {
        normalise(name)
        for document in index.documents
        if in_scope is None or document.institution in in_scope
        for name in document.heading
    }
    replies = []
    for study_year in snapshot.study_years:
        for code in study_year.codes:
            if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", said, re.IGNORECASE):
                if normalise(code) in described:
                    return []
                label = localised(context, study_year.label_en, study_year.label_fr) or study_year.label_en
                replies.append(reply("study_year_code", code=code, year=label))
    return replies
