"""note_assistant_process_content: what it flags, what it leaves, and how it reports.

Every sentence here is synthetic and written for these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

import note_assistant.nlp.components  # noqa: F401 - registers the factories
from note_assistant.nlp import get_nlp

POSITIVES = {
    "countertransference": [
        "I felt a flash of irritation when he mocked the homework.",
        "Writer noticed a strong urge to call his mother myself.",
        "Clinician felt bored and drifted for most of the hour.",
        "Note to self: stop rushing to reassure her.",
        "Part of me was glad the session ended early.",
        "Hard to stay awake during the last half hour.",
        "I secretly hope he quits so I don't have to deal with his lawyer.",
        "I froze when she described the assault and could not find words.",
        "I look forward to our sessions more than I should.",
    ],
    "speculation": [
        "Perhaps her overeating is a way to protect herself from unwanted attention.",
        "I suspect the cleaning rituals keep the grief at bay.",
        "Writer hypothesizes that his procrastination protects him from the risk of failure.",
        "Unconsciously, she may be trying to fail the course so she can stay home.",
        "Could the headaches be about not wanting to visit her father?",
        "Her anger at her boss is displaced from her father.",
    ],
    "transference-defence": [
        "She seems to experience me as critical, just as she described her father.",
        "Intellectualization noted as he discussed the diagnosis in purely statistical terms.",
        "Client relates to me as a rescuer who must solve every problem.",
        "Her repeated texts between sessions appear to test whether I will abandon her.",
        "Pt splits the treatment team, praising me and disparaging the psychiatrist.",
    ],
    "dream-fantasy": [
        "The recurring dream of missing the exam probably symbolizes his fear of failing.",
        "Client had a dream about therapy ending abruptly and woke up crying.",
        "Dreamt of falling from a bridge into dark water while her mother watched and her "
        "children called her name.",
        "He dreamed I was giving him a failing grade in front of the class.",
    ],
    "intimate-detail": [
        "Client described how her stepfather would come into her room at night when she was 11.",
        "He disclosed an affair with his wife's best friend, meeting at her apartment on Fridays.",
        "Pt said, \"He would put his hand up my shirt in the truck on the way to school.\"",
        "She recounted the assault in graphic detail, including what he said to her.",
    ],
    "third-party": [
        "Her brother Tom was arrested for selling cocaine last month and is out on bail.",
        "Roommate Kelly has bipolar disorder and stopped her lithium in June.",
        "Client's cousin is HIV positive and has not told his partner.",
        "His wife Lisa was fired from the pharmacy for stealing pills.",
        "His roommate Jake sells Xanax to classmates at the university.",
        "Her cousin Luis was detained by ICE at his job in Omaha last week.",
    ],
}
# Cues narrowed so that medical words stop counting (oral, seeing, covers, straight face).
POSITIVES["intimate-detail"] += [
    "He described being made to perform oral sex on a neighbor boy in the woods behind the school.",
    "She has been seeing a married coworker secretly, meeting at a hotel near the airport.",
]
POSITIVES["speculation"] += ["Her perfectionism probably covers a deep fear of her father's contempt."]
POSITIVES["countertransference"] += ["Found it hard to keep a straight face while he described the fight.",
                                     "Writer felt moved to tears by his apology."]
POSITIVES["transference-defence"] += [
    "She laughs at every joke I make, as though pleasing me keeps her safe.",
]

NEGATIVES = {
    "client experiencer": [
        "Client believes her coworkers are talking about her.",
        "Pt thinks his anger is related to how his father treated him.",
        "Client wonders whether her need for control comes from her father's drinking.",
        "Client reported feeling irritated when her coworkers interrupt her.",
        "She feels her mother favors her brother.",
    ],
    "negation and pointers": [
        "No transference issues noted.",
        "No defense mechanisms or transference themes documented in this note.",
        "See separate psychotherapy note for session content.",
        "Clinician's reactions addressed in supervision and not documented here.",
    ],
    "hedged plans and assessments": [
        "Client may benefit from weekly sessions.",
        "Perhaps add a session per week if symptoms worsen.",
        "Will explore her relationship with her father in future sessions.",
        "Symptoms may reflect an adjustment disorder rather than major depression.",
        "Anxiety likely maintained by reassurance seeking; ERP indicated.",
        "Clinician suspects a learning disability and will request school records.",
    ],
    "symptoms and nightmare frequency": [
        "Nightmares about the accident 3-4 times per week, waking drenched in sweat.",
        "Reports recurring dreams of being chased, about twice a week.",
        "Reports intrusive sexual thoughts that she finds distressing; consistent with OCD.",
        "Decreased libido since starting sertraline.",
    ],
    "brief quotes and observed affect": [
        "Client stated, \"I feel like nobody would notice if I was gone.\"",
        "Client stated, \"I feel judged by you sometimes.\"",
        "Pt: I feel guilty every time I eat.",
        "Client appeared defensive when discussing her drinking.",
        "Arrived 15 minutes late and apologized repeatedly.",
    ],
    "category-level topics and risk": [
        "Client reported a history of sexual abuse in childhood; details not elicited.",
        "Client reports stress related to her sister's legal problems.",
        "Client reported a dream about her late mother.",
        "Client disclosed that her uncle is abusing her cousin; CPS report filed.",
        "Used CBT to challenge catastrophic thinking about work.",
    ],
    # Medication-management and medical sentences: the sentence classifier, trained on words
    # alone, flagged most of these (a sentence without progress-note vocabulary looked like
    # psychotherapy-note content), and medical words set off the rules.
    "medical and medication-management visits": [
        "He tells me he has been taking the lisinopril every morning with breakfast.",
        "I went over the risks and benefits of lithium with him and his wife at length.",
        "The swelling in her ankle seems to be going down with rest and ice.",
        "His maternal grandmother died of a stroke in her seventies.",
        "Controlled Oral Word Association Test performance was in the average range.",
        "She has been seeing a therapist at the county clinic since May.",
        "Reports pain during sex since the delivery; she will raise it with her gynecologist.",
        "I suspect she has a mild contact dermatitis from the new laundry soap.",
        "Her mother had breast cancer at 52 and is doing well.",
        "Ms. Ortiz was well groomed and wore casual clothes.",
        "Mr. Lee arrived on time with good hygiene and grooming.",
        "She asked whether her medication could cause vivid dreams.",
        "He raised his voice briefly about the insurance denial.",
        "When he was about seven years old, his parents separated and he moved to Tucson with "
        "his mother.",
        "It is suggested that she keep working with her physical therapist on balance and strength.",
    ],
    # Medical dictations (written for these tests after the MTSamples dev half showed the kind):
    # a dose, a procedure or an examination finding makes a sentence medical record content,
    # a transitive "froze", a letter's closing, an examination's "displaced" and a diagnosis
    # named somatization are not the clinician's feelings, an interpretation or a defence.
    "medical wording": [
        "We changed quetiapine to 25 mg at bedtime as the confusion may be worse at night.",
        "I described the procedure to the patient in detail, and she seems to understand it.",
        "There is a small contusion on the left shin which appears to be healing.",
        "I worry a little about the brace increasing his edema.",
        "I froze it once and allowed a 3 mm freeze zone.",
        "I look forward to keeping you informed of her progress.",
        "HEART: PMI is displaced.",
        "Rule out somatization disorder.",
        "I told her to continue the hand exercises, and this seems to be working for her.",
        "It is possible that weaknesses in visuospatial processing are contributing to her falls.",
    ],
}


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def _results(nlp, text: str) -> list[dict]:
    return nlp(text)._.process_content or []


@pytest.mark.parametrize(
    ("subcategory", "text"),
    [(sub, text) for sub, texts in POSITIVES.items() for text in texts],
)
def test_flags_psychotherapy_note_content(nlp, subcategory: str, text: str) -> None:
    results = _results(nlp, text)
    assert results, f"not flagged: {text}"
    assert results[0]["subcategory"] == subcategory


@pytest.mark.parametrize(
    ("kind", "text"), [(kind, text) for kind, texts in NEGATIVES.items() for text in texts]
)
def test_leaves_progress_note_content(nlp, kind: str, text: str) -> None:
    assert _results(nlp, text) == [], f"{kind}: wrongly flagged: {text}"


def test_result_spans_the_sentence_and_names_the_cue(nlp) -> None:
    text = "Client reports poor sleep. I suspect her anger at her boss is displaced from her father."
    doc = nlp(text)
    (result,) = doc._.process_content
    sentence = "I suspect her anger at her boss is displaced from her father."
    assert text[result["sentence_start"]:result["sentence_end"]] == sentence
    assert text[result["cue_start"]:result["cue_end"]] == result["cue"]
    assert result["subcategory"] == "speculation"
    assert result["rule_id"] == "PC-SPECULATION"
    assert result["cue_rule"] and result["decision"]
    (span,) = doc.spans["process_content"]
    assert span.text == sentence and span.label_ == "speculation"


@pytest.mark.parametrize("text", [
    "My hypothesis is that his anger masks profound shame.",
    "My sense is that his irritability masks fear of failing.",
    # the feeling inside the clinician's framing is the client's, not countertransference
    "My impression is that the panic stems from her fear of being judged.",
])
def test_the_clinicians_own_framing_is_not_the_relationship(nlp, text: str) -> None:
    """"My hypothesis" or "my impression" frames a speculation: not the therapist as the object
    of an interpretation (which "my absence", "angry at me" are), nor the therapist's own
    feeling. The finding and its cue say speculation."""
    (result,) = nlp(text)._.process_content
    assert result["subcategory"] == "speculation"
    assert result["cue"].lower() != "my"


def test_the_relationship_is_still_found_through_my(nlp) -> None:
    (result,) = nlp("Her anger at my absence probably reflects the loss of her mother.")._.process_content
    assert result["subcategory"] == "transference-defence"


def test_bullet_marker_is_not_part_of_the_span(nlp) -> None:
    text = "Plan reviewed.\n- I felt irritated when she arrived late again.\n"
    (result,) = _results(nlp, text)
    assert text[result["sentence_start"]:result["sentence_end"]] == (
        "I felt irritated when she arrived late again.")


def test_quotes_are_client_speech_not_clinician_experience(nlp) -> None:
    assert _results(nlp, 'Client stated, "I felt bored and irritated all week."') == []
    assert _results(nlp, "I felt bored and irritated all week.")


def test_only_the_protected_sentence_in_a_note(nlp) -> None:
    text = ("Client reports feeling anxious about work. Affect constricted. "
            "I was aware of feeling protective of her, almost parental. Plan: continue CBT.")
    results = _results(nlp, text)
    assert [text[r["sentence_start"]:r["sentence_end"]] for r in results] == [
        "I was aware of feeling protective of her, almost parental."]


def test_factory_in_a_fresh_blank_pipeline() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("note_assistant_process_content", config={"spans_key": "pc"})
    nlp.initialize()
    doc = nlp("Client slept well. I felt irritated when he arrived late.")
    assert [s.text for s in doc.spans["pc"]] == ["I felt irritated when he arrived late."]
    assert doc._.process_content[0]["subcategory"] == "countertransference"


def test_results_survive_docbin_round_trip(nlp) -> None:
    from spacy.tokens import DocBin

    doc = nlp("I felt irritated when he arrived late.")
    data = DocBin(docs=[doc], store_user_data=True).to_bytes()
    restored = list(DocBin().from_bytes(data).get_docs(nlp.vocab))[0]
    assert json.dumps(restored._.process_content) == json.dumps(doc._.process_content)


def test_matching_does_not_depend_on_abbreviation_tokenization() -> None:
    """A tokenizer that keeps 'Pt.' and 'b.i.d.' whole changes nothing (matching is on text)."""
    from spacy.symbols import ORTH

    nlp = spacy.blank("en")
    nlp.tokenizer.add_special_case("Pt.", [{ORTH: "Pt."}])
    nlp.tokenizer.add_special_case("b.i.d.", [{ORTH: "b.i.d."}])
    nlp.add_pipe("note_assistant_sentences")
    nlp.add_pipe("note_assistant_process_content")
    text = "Pt. takes sertraline b.i.d. and sleeps poorly. Pt. believes her boss is unfair. I felt bored."
    results = nlp(text)._.process_content
    assert [text[r["sentence_start"]:r["sentence_end"]] for r in results] == ["I felt bored."]


class _StubModel:
    """Stands in for the sentence classifier: a fixed score for every sentence."""

    def __init__(self, score: float) -> None:
        self.score = score
        self.seen: list[str] = []

    def scores(self, texts):
        texts = list(texts)
        self.seen += texts
        return [self.score] * len(texts)


def _detector(score: float):
    from note_assistant.nlp.components.process_content import ProcessContentDetector, shared_matcher

    model = _StubModel(score)
    return ProcessContentDetector(*shared_matcher(), model=model, threshold=0.7), model


def _analyse(detector, text: str) -> list[dict]:
    from note_assistant.nlp.components.sentences import default_splitter

    return detector.analyse(text, default_splitter().spans(text))


def test_model_flags_a_near_miss_and_cites_a_cue_from_the_sentence() -> None:
    detector, _ = _detector(0.9)
    text = "Perhaps she took the long way home on purpose."
    (result,) = _analyse(detector, text)
    assert result["decision"] == "model" and result["score"] == 0.9
    assert result["subcategory"] == "speculation"
    assert result["cue"] == "Perhaps" and text[result["cue_start"]:result["cue_end"]] == "Perhaps"


def test_the_model_reads_the_sentence_with_the_cue_categories_training_sees() -> None:
    """Training (eval_process_content --train-textcat) builds each input with
    ``model_input(text, detector.sentence_categories(text))``; analysis inside a note must
    hand the classifier exactly that, or the features it learnt never show up."""
    from note_assistant.nlp.components.textcat_signal import model_input

    detector, model = _detector(0.9)
    sentence = "Perhaps she took the long way home on purpose."
    _analyse(detector, f"Client reports poor sleep.\n\n{sentence} Mood is low.")
    expected = model_input(sentence, detector.sentence_categories(sentence))
    assert model.seen == [expected]
    assert expected == f"zzclientsubj zzhedge . {sentence}"


def test_training_builds_the_same_inputs(monkeypatch, tmp_path) -> None:
    """``--train-textcat`` trains on tune sentences only, each as ``model_input`` with the
    categories the detector finds in it."""
    from eval import eval_process_content
    from note_assistant.nlp.components import textcat_signal
    from note_assistant.nlp.components.process_content import ProcessContentDetector, shared_ruleset

    seen = {}
    monkeypatch.setattr(textcat_signal, "train",
                        lambda texts, labels: seen.update(texts=list(texts), labels=list(labels)))
    monkeypatch.setattr(textcat_signal, "save", lambda nlp, folder: [])
    rows = [{"text": "Perhaps she took the long way home on purpose.", "label": 1, "split": "tune"},
            {"text": "Client reports poor sleep.", "label": 0, "split": "tune"},
            {"text": "I felt bored.", "label": 1, "split": "heldout"}]
    eval_process_content.train_textcat(rows)
    detector = ProcessContentDetector(shared_ruleset())
    assert seen["texts"] == [textcat_signal.model_input(r["text"], detector.sentence_categories(r["text"]))
                             for r in rows[:2]]
    assert seen["labels"] == [1, 0]


def test_a_pseudo_phrase_hides_hints_from_the_model_too() -> None:
    """"moved to" (PSEUDO) hides the feeling word "moved", so the sentence is not scored;
    a bare "moved" still sends its sentence to the classifier."""
    detector, model = _detector(0.99)
    assert _analyse(detector, "She moved to Tucson with her mother last spring.") == []
    assert model.seen == []
    (result,) = _analyse(detector, "She was so moved she could not speak for a minute.")
    assert result["decision"] == "model" and result["cue"] == "moved"


def test_model_stays_quiet_below_threshold_on_vetoes_and_without_hint_cues() -> None:
    low, _ = _detector(0.5)
    assert _analyse(low, "Perhaps she took the long way home on purpose.") == []
    high, model = _detector(0.99)
    assert _analyse(high, "Client believes perhaps she took the long way home.") == []  # veto
    assert _analyse(high, "Perhaps increase sessions to twice weekly next month.") == []  # plan
    assert _analyse(high, "She went to dinner with a friend on Saturday.") == []  # no hint cue
    assert _analyse(high, "Perhaps so.") == []  # too short
    assert "She went to dinner with a friend on Saturday." not in model.seen


def test_rules_decide_first_the_model_only_sees_what_they_leave() -> None:
    detector, model = _detector(0.99)
    text = "I felt irritated when he arrived late."
    (result,) = _analyse(detector, text)
    assert result["decision"] != "model"
    assert model.seen == []


def test_packaged_model_is_small_and_scores_probabilities() -> None:
    from importlib import resources

    from note_assistant.nlp.components.textcat_signal import MODEL_STEM, load_packaged

    data = resources.files("note_assistant.nlp") / "data" / f"{MODEL_STEM}.bin"
    assert data.is_file() and len(data.read_bytes()) < 5 * 1024 * 1024
    model = load_packaged()
    assert model is not None
    (score,) = model.scores(["Client reports sleeping well this week."])
    assert 0.0 <= score <= 1.0


def test_use_model_false_runs_rules_only() -> None:
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("note_assistant_process_content", config={"use_model": False})
    nlp.initialize()
    assert pipe.detector.model is None


def test_the_pipeline_model_reuses_the_replaced_tokenizer_and_scores_the_same() -> None:
    """The pipeline loads the classifier on the default English tokenizer the clinical one
    replaced (no second tokenizer is built); its scores equal the standalone model's."""
    import json

    from note_assistant.nlp import get_nlp
    from note_assistant.nlp.components.textcat_signal import load_packaged

    nlp = get_nlp()
    shared = nlp.get_pipe("note_assistant_process_content").detector.model
    base = nlp.tokenizer.language_tokenizer
    assert base is not None and shared.nlp.tokenizer is base
    standalone = load_packaged()
    assert standalone is not shared and standalone.nlp.tokenizer is not base
    corpus = Path(__file__).parents[2] / "eval" / "data" / "process_content.jsonl"
    texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()[:150]]
    assert shared.scores(texts) == standalone.scores(texts)


def test_two_pass_matching_finds_what_one_pass_finds() -> None:
    """The detector scans the whole note only for the deciding categories and the rest inside
    the sentences worth a look; that must give the same results as one full pass."""
    import json as _json

    from note_assistant.nlp.components.matcher import CueMatcher
    from note_assistant.nlp.components.process_content import default_detector
    from note_assistant.nlp.components.sentences import default_splitter

    detector = default_detector()
    assert detector._second_pass.literal_index or detector._second_pass.regex_index
    corpus = Path(__file__).parents[2] / "eval" / "data" / "process_content.jsonl"
    texts = [_json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()]
    note = " ".join(texts[:60])
    cases = texts + [note]
    two_pass = [detector.analyse(t, default_splitter().spans(t, [])) for t in cases]
    split = (detector._first_pass, detector._second_pass)
    try:
        detector._first_pass, detector._second_pass = detector.matcher, CueMatcher([])
        one_pass = [detector.analyse(t, default_splitter().spans(t, [])) for t in cases]
    finally:
        detector._first_pass, detector._second_pass = split
    assert two_pass == one_pass
    assert sum(len(r) for r in one_pass) > 100  # the corpus does fire


def test_analysis_never_builds_the_one_pass_matcher() -> None:
    """Start-up builds only the two split matchers; the all-cues one is for inspection."""
    from note_assistant.nlp.components.process_content import (ProcessContentDetector,
                                                               shared_ruleset)
    from note_assistant.nlp.components.sentences import default_splitter

    detector = ProcessContentDetector(shared_ruleset())
    text = "I felt irritated when she described her father. Perhaps she is testing me."
    assert detector.analyse(text, default_splitter().spans(text, []))
    assert detector._matcher is None
    assert detector.matcher.find(text.lower()) and detector._matcher is not None
