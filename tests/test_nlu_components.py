"""The NLU components of the pipeline, on their own."""
from __future__ import annotations

import pytest

from assistant.nlu.classifier import PlaceholderIntentClassifier, placeholder_text, stemmed_words
from assistant.nlu.components import entity_record
from assistant.nlu.gazetteer import EntityFinder
from assistant.nlu.language import detect_language
from assistant.queries.names import NameCache


@pytest.fixture(scope="module")
def finder_and_names(loaded_engine):
    return EntityFinder(), NameCache(loaded_engine).get()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Which partner universities do you have in Spain?", [("country", "es", "Spain")]),
        ("des partenaires en ESPAGNE ?", [("country", "es", "ESPAGNE")]),
        ("stage au Japon", [("programme", "kind:clinical-clerkship", "stage"), ("country", "jp", "Japon")]),
        ("is karolinska a partner", [("partner", "upc-karolinska-institutet", "karolinska")]),
        ("a semester at Cadiz", [("partner", "upc-universidad-de-cadiz", "Cadiz")]),
        ("I'm in DFASM1", [("study_year", "4", "DFASM1")]),
        ("partners in Latin America", [("region", "continent:south-america", "Latin America")]),
        ("🇵🇹 partner?? 🤔", [("country", "pt", "🇵🇹")]),
        ("partenaire 🇳🇱 ?", [("country", "nl", "🇳🇱")]),
    ],
)
def test_gazetteer_finds_names_whatever_their_case_or_accents(finder_and_names, text: str, expected: list) -> None:
    finder, names = finder_and_names
    assert [(found.entity, found.value, found.text) for found in finder.find(text, names)] == expected


def test_the_longest_name_wins(finder_and_names) -> None:
    finder, names = finder_and_names
    found = finder.find("is the Université de Montréal a partner?", names)
    assert [(f.entity, f.text) for f in found] == [("partner", "Université de Montréal")]


@pytest.mark.parametrize(
    ("text", "classifier_reads"),
    [
        ("how expensive is Lille?", "how expensive is __city__ ?"),
        ("Lille est connue pour quoi ?", "__city__ est connue pour quoi ?"),
        ("fees at the University of Lille?", "fees at the __institution__ ?"),
    ],
)
def test_a_school_named_by_its_city_alone_reads_as_the_city(finder_and_names, text: str, classifier_reads: str) -> None:
    finder, names = finder_and_names
    found = finder.find(text, names)
    assert [f.entity for f in found] == ["institution"] and "lille" in found[0].value  # the answer still knows the school
    assert " ".join(placeholder_text(text, [entity_record(f) for f in found]).split()) == classifier_reads


def test_word_forms_share_a_stem_and_names_stay_whole() -> None:
    assert stemmed_words("Candidatures") == stemmed_words("candidature")
    assert stemmed_words("applying") == stemmed_words("apply")
    assert stemmed_words("études") == stemmed_words("etude")
    assert stemmed_words("les frais à __institution__ ?").split()[-1] == "__institution__"


@pytest.mark.parametrize(
    ("text", "page", "expected"),
    [
        ("Which partner universities do you have in Spain?", None, "en"),
        ("Quelles universités partenaires en Espagne ?", None, "fr"),
        ("ok", "fr", "fr"),
        ("how much does the summer school cost?", "fr", "en"),
        ("merci", None, None),
        ("", "en", "en"),
    ],
)
def test_language_of_the_message_else_of_the_page(text: str, page: str | None, expected: str | None) -> None:
    assert detect_language(text, page) == expected


@pytest.mark.parametrize(
    ("text", "entities", "page", "expected"),
    [
        # Without the names, "quel pourcentage part en ?" is too short to tell: the whole text says French.
        ("quel pourcentage part en Amérique du Sud ?", [("region", 25, 40)], None, "fr"),
        ("is Université de Montréal a partner?", [("partner", 3, 25)], None, "en"),
        # On a page with a language, a message that does not clearly show its own sets none: the conversation's
        # language (the page's at its start, actions/session.py) goes on.
        ("quel pourcentage part en Amérique du Sud ?", [("region", 25, 40)], "en", None),
    ],
)
def test_the_message_language_leaves_names_out_unless_too_little_is_left(
    text: str, entities: list, page: str | None, expected: str | None
) -> None:
    from rasa.shared.nlu.training_data.message import Message

    from assistant.nlu.components import LanguageDetector

    found = [{"entity": kind, "value": "x", "start": start, "end": end} for kind, start, end in entities]
    message = Message(data={"text": text, "entities": found, "metadata": {"language": page} if page else {}})
    LanguageDetector().process([message])
    languages = [entity["value"] for entity in message.get("entities") if entity["entity"] == "language"]
    assert languages == ([expected] if expected else [])


def test_names_become_their_kind_for_the_classifier() -> None:
    text = "is Karolinska Institutet a partner in Sweden?"
    entities = [
        {"entity": "language", "value": "en", "start": 0, "end": len(text)},
        {"entity": "partner", "value": "x", "start": 3, "end": 24},
        {"entity": "country", "value": "se", "start": 38, "end": 44},
    ]
    assert placeholder_text(text, entities).split() == ["is", "__partner__", "a", "partner", "in", "__country__", "?"]


def _classifier(tmp_path):
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from assistant.nlu.classifier import PlaceholderIntentClassifier

    config = PlaceholderIntentClassifier.get_default_config()
    return PlaceholderIntentClassifier(config, LocalModelStorage(tmp_path), Resource("intent_classifier"))


def _training_data(phrases: dict[str, list[str]]):
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    messages = [Message(data={"text": text, "intent": intent}) for intent, texts in phrases.items() for text in texts]
    # Rasa adds one message without text for each intent of the domain.
    messages += [Message(data={"intent": intent}) for intent in phrases]
    return TrainingData(training_examples=messages)


def test_classifier_ranks_the_right_intent_first_with_confidences(tmp_path) -> None:
    from rasa.shared.nlu.training_data.message import Message

    classifier = _classifier(tmp_path)
    classifier.train(_training_data({
        "ask_fees": ["how much does it cost?", "what are the fees?", "is it expensive?", "price of the summer school?",
                     "how much do I pay?", "tuition fees please"],
        "greet": ["hello", "hi there", "good morning", "hey", "hi!", "hello, anyone here?"],
    }))
    message = Message(data={"text": "what do the fees cost?"})
    classifier.process([message])
    ranking = message.get("intent_ranking")
    assert message.get("intent")["name"] == "ask_fees"
    assert [item["name"] for item in ranking] == ["ask_fees", "greet"]
    assert ranking[0]["confidence"] > 0.5 > ranking[1]["confidence"]
    assert ranking[0]["confidence"] > ranking[1]["confidence"] > 0


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Bonjour, c'est combien la summer school ?", "c'est combien la summer school ?"),
        ("hi there!! how much does the clerkship cost?", "how much does the clerkship cost?"),
        ("bonjour à tous", None),
        ("good morning", None),
    ],
)
def test_a_greeting_opening_a_question_is_read_past_also_after_loading(tmp_path, text: str, question: str | None) -> None:
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.message import Message

    from assistant.nlu.classifier import PlaceholderIntentClassifier

    classifier = _classifier(tmp_path)
    classifier.train(_training_data({
        "ask_fees": ["how much does it cost?", "what are the fees?", "c'est combien ?", "price of the summer school?",
                     "how much do I pay?", "les frais de la summer school ?", "combien ça coûte ?"],
        "greet": ["hello", "hi there", "good morning", "bonjour", "salut", "hey", "bonjour à toute l'équipe"],
        "out_of_scope": ["what's the weather like?", "tell me a joke", "who won the match?", "quel temps fait-il ?",
                         "raconte une blague"],
    }))
    loaded = PlaceholderIntentClassifier.load(
        PlaceholderIntentClassifier.get_default_config(), classifier._model_storage, Resource("intent_classifier"), None
    )
    greeted, alone = Message(data={"text": text}), Message(data={"text": question or ""})
    loaded.process([greeted, alone])
    if question is None:
        assert greeted.get("intent")["name"] == "greet"
    else:
        # The greeting neither wins nor weakens the answer: the question is classified as if asked alone.
        assert greeted.get("intent_ranking") == alone.get("intent_ranking")
        assert greeted.get("intent")["name"] == "ask_fees"


def test_one_phrase_is_enough_to_train_an_intent_and_it_is_recognised(tmp_path) -> None:
    from rasa.shared.nlu.training_data.message import Message

    classifier = _classifier(tmp_path)
    classifier.train(_training_data({
        "ask_fees": ["how much does it cost?", "what are the fees?", "is it expensive?", "price?", "cost?"],
        "greet": ["hello", "hi"],
        "ask_visa": ["do I need a visa to study in Canada?"],
    }))
    message = Message(data={"text": "do I need a visa for Canada?"})
    classifier.process([message])
    assert message.get("intent")["name"] == "ask_visa"
    assert message.get("intent")["confidence"] >= PlaceholderIntentClassifier.get_default_config()["fallback_threshold"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what's the weather in Paris tomorrow", None),
        ("who won the football match", None),
        ("I want to cancel my order", "CANCEL_ORDER"),
        ("where is my parcel", "ORDER_STATUS"),
    ],
)
def test_a_message_unlike_every_phrase_falls_below_the_fallback_threshold_without_out_of_scope_examples(
    tmp_path, text: str, intent: str | None
) -> None:
    """Trained on a real bot's phrases (HINT3 curekart, which has no out-of-scope intent)."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.message import Message

    from assistant.bench.hint3 import load_bot

    classifier = _classifier(tmp_path)
    classifier.train(load_data(str(load_bot("curekart").train_path)))
    message = Message(data={"text": text})
    classifier.process([message])
    threshold = PlaceholderIntentClassifier.get_default_config()["fallback_threshold"]
    if intent is None:
        assert message.get("intent")["confidence"] < threshold
    else:
        assert message.get("intent")["name"] == intent and message.get("intent")["confidence"] >= threshold


def test_config_maps_the_classifier_threshold_onto_the_fallback_classifier_threshold() -> None:
    from ruamel.yaml import YAML

    from assistant.config import PROJECT_ROOT

    pipeline = YAML(typ="safe").load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    ours = next(c for c in pipeline if c["name"] == "assistant.nlu.classifier.PlaceholderIntentClassifier")
    fallback = next(c for c in pipeline if c["name"] == "FallbackClassifier")
    assert ours["fallback_threshold"] == fallback["threshold"]


def test_a_message_of_several_sentences_is_ranked_by_its_clearest_question(tmp_path) -> None:
    from rasa.shared.nlu.training_data.message import Message

    classifier = _classifier(tmp_path)
    classifier.train(_training_data({
        "ask_fees": ["how much does it cost?", "what are the fees?", "is it expensive?", "price of the summer school?",
                     "how much do I pay?", "tuition fees please"],
        "ask_contact": ["whom should I write to?", "who do I contact?", "what is your e-mail?", "who can I ask?",
                        "give me a contact", "whom do I write to about it?"],
        "out_of_scope": ["what's the weather like?", "tell me a joke", "who won the match?", "I like football",
                         "my cat is sleeping", "the weather is nice today"],
    }))
    several = Message(
        data={"text": "I like football and the weather is nice today, my cat is sleeping. Whom should I write to?"}
    )
    alone = Message(data={"text": "Whom should I write to?"})
    small_talk = Message(data={"text": "I like football. Tell me a joke."})
    classifier.process([several, alone, small_talk])
    assert several.get("intent")["name"] == "ask_contact"
    assert several.get("intent_ranking") == alone.get("intent_ranking")
    assert small_talk.get("intent")["name"] == "out_of_scope"


def test_rasa_trains_the_classifier_again_when_the_intent_model_code_changes(tmp_path, monkeypatch) -> None:
    """Rasa's training cache keys a component by its class's source: the NLU package's code is added to the key."""
    import shutil

    from assistant.nlu import classifier
    from assistant.nlu.classifier import PlaceholderIntentClassifier

    for path in classifier.NLU_PACKAGE.glob("*.py"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(classifier, "NLU_PACKAGE", tmp_path)
    config = PlaceholderIntentClassifier.get_default_config()
    before = PlaceholderIntentClassifier.fingerprint_addon(config)
    assert PlaceholderIntentClassifier.fingerprint_addon(config) == before
    (tmp_path / "intent_model.py").write_text("# another intent model\n", encoding="utf-8")
    assert PlaceholderIntentClassifier.fingerprint_addon(config) != before


def test_a_short_message_with_a_small_word_of_the_pages_language_keeps_it() -> None:
    from assistant.nlu.language import said_language

    assert said_language("et en Traineeship ?", "fr") is None
    assert said_language("what is the fee for the summer school?", "fr") == "en"


def test_an_acronym_names_a_country_only_as_one(finder_and_names) -> None:
    finder, index = finder_and_names

    def countries(text: str) -> list[str]:
        return [found.value for found in finder.find(text, index) if found.entity == "country"]

    assert countries("clerkships in the US?") == ["us"]
    assert countries("clerkships in the us?") == ["us"]
    assert countries("can you tell us more about clerkships?") == []


def test_the_intent_model_reads_texts_as_scikit_learn_does_also_when_saved_row_by_row() -> None:
    """The fast features and nearest-phrase similarity give scikit-learn's figures; an older model (phrases saved row
    by row) loads and ranks the same."""
    import pickle

    import numpy
    from sklearn.preprocessing import normalize

    from assistant.nlu.intent_model import IntentModel

    phrases = ["how much does it cost?", "les frais à __institution__ ?", "hello", "bonjour", "hi there", "visa?"]
    model = IntentModel.train(
        phrases, ["fees", "fees", "greet", "greet", "greet", "visa"], regularisation=2.0, seed=1, fallback_threshold=0.25
    )
    texts = ["what are the fees at __institution__?", "Hélène, bonjour !", "", "???", "zzzz", "hello hello hello"]
    fast, slow = model._fast_features.transform(texts), normalize(model.features.transform(texts))
    assert fast.shape == slow.shape and abs(fast - slow).max() < 1e-12
    rows = [fast[row] for row in range(len(texts))]
    nearest = (normalize(model.features.transform(phrases)) @ slow.T).max(axis=0).toarray().ravel()
    assert numpy.allclose([model.nearest_similarity(row) for row in rows], nearest, rtol=0, atol=1e-12)

    older = pickle.loads(pickle.dumps(model))
    older.__dict__["phrases"] = model.phrases.tocsr()
    assert pickle.loads(pickle.dumps(older)).rank(texts) == model.rank(texts)
