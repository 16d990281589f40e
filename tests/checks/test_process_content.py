"""Process-content family: findings for sentences that belong in the psychotherapy note."""

from __future__ import annotations

import pytest
from checks_support import GOOD_SOAP, ids, run, soap

from note_assistant.checks import check_note, process_content
from note_assistant.checks.catalogue import rule

RULES = {
    "countertransference": "PC-COUNTERTRANSFERENCE",
    "speculation": "PC-SPECULATION",
    "transference-defence": "PC-TRANSFERENCE",
    "dream-fantasy": "PC-DREAM",
    "intimate-detail": "PC-INTIMATE-DETAIL",
    "third-party": "PC-THIRD-PARTY",
}

EXAMPLES = {
    "countertransference": "I noticed I was rushing to end the session because she bores me.",
    "speculation": "Possibly her overspending is a way of filling the emptiness the divorce left.",
    "transference-defence": "Denial seems to be protecting her from the reality of the diagnosis.",
    "dream-fantasy": "She dreamt her house was flooding while her father watched, which seems "
                     "to reflect how overwhelmed she feels.",
    "intimate-detail": "He described in detail how his coach touched him in the locker room "
                       "after practice when he was 12.",
    "third-party": "Her brother-in-law Marco is undocumented and works under a cousin's name.",
}


def note_with(sentence: str) -> str:
    return soap(
        "Client reports poor sleep and low mood this week.",
        "Affect constricted; speech normal.",
        f"Moderate depressive symptoms; PHQ-9 = 14. {sentence} Denies SI/HI; risk low.",
        "Continue weekly CBT; next session in one week.",
    )


def test_catalogue_entries() -> None:
    for rule_id in RULES.values():
        spec = rule(rule_id)
        assert spec.category == "process-content"
        assert spec.severity == "warning"
        assert "45 CFR 164.501" in spec.source and "A18" in spec.source
        assert "psychotherapy note" in spec.suggestion.lower()
        assert "e.g." in spec.suggestion  # an example rewording


@pytest.mark.parametrize("subcategory", sorted(EXAMPLES))
def test_each_subcategory_gives_one_sentence_finding(subcategory: str) -> None:
    sentence = EXAMPLES[subcategory]
    text = note_with(sentence)
    findings = run(process_content, text)
    assert ids(findings) == [RULES[subcategory]]
    (finding,) = findings
    assert finding.text == sentence
    assert text[finding.start:finding.end] == sentence
    assert finding.category == "process-content" and finding.severity == "warning"
    assert finding.section == "assessment"
    assert finding.cue and finding.cue in sentence
    assert f'"{finding.cue}"' in finding.message
    assert finding.data["subcategory"] == subcategory
    assert (finding.data["sentence_start"], finding.data["sentence_end"]) == (
        finding.start, finding.end)
    assert text[finding.data["cue_start"]:finding.data["cue_end"]] == finding.cue


def test_engine_reports_the_same_through_the_pipeline() -> None:
    sentence = EXAMPLES["speculation"]
    text = note_with(sentence)
    findings = [f for f in check_note(text).findings if f.category == "process-content"]
    assert [(f.rule_id, f.text) for f in findings] == [("PC-SPECULATION", sentence)]


@pytest.mark.parametrize("sentence", [
    "Client believes her anger at her boss is really about her father.",
    "No transference issues noted.",
    "Client may benefit from weekly sessions.",
    "Nightmares about the assault 3x/week; imagery rehearsal started.",
    "Client stated, \"I feel like you're judging me.\"",
    "Client appeared guarded and defensive when asked about alcohol use.",
    "Client reported a history of sexual abuse in childhood; details not elicited.",
    "Client reports stress related to her sister's legal problems.",
    # a longer PSEUDO phrase hides the cue inside it (substance use is not an intimate disclosure)
    "Client has a history of alcohol abuse and has been sober for two years.",
    "He reports abusing opioids from 2015 to 2019 and has been on buprenorphine since.",
    "Her defense attorney asked for a letter confirming attendance at weekly sessions.",
])
def test_progress_note_content_is_left_alone(sentence: str) -> None:
    assert run(process_content, note_with(sentence)) == []


def test_abuse_of_a_person_with_specifics_is_still_intimate_detail() -> None:
    sentence = ("Client disclosed that her stepfather sexually abused her from age 9 to 12 in the "
                "family's basement.")
    findings = run(process_content, note_with(sentence))
    assert [(f.rule_id, f.text) for f in findings] == [("PC-INTIMATE-DETAIL", sentence)]


def test_a_complete_progress_note_has_no_process_content_findings() -> None:
    assert run(process_content, GOOD_SOAP) == []


def test_several_sentences_each_get_their_own_finding() -> None:
    text = note_with(EXAMPLES["countertransference"] + " " + EXAMPLES["third-party"])
    findings = run(process_content, text)
    assert [f.text for f in findings] == [EXAMPLES["countertransference"], EXAMPLES["third-party"]]


def test_a_feeling_inside_the_clinicians_hypothesis_is_not_countertransference() -> None:
    # "I suspect ... anger" speculates about the client's anger; it is not the clinician's own feeling.
    text = note_with("I suspect her lateness is unconscious anger at me for taking a vacation.")
    found = [f for f in check_note(text).findings if f.category == "process-content"]
    assert len(found) == 1 and found[0].rule_id != "PC-COUNTERTRANSFERENCE"
    text = note_with("I felt irritated when she described her father.")
    found = [f for f in check_note(text).findings if f.category == "process-content"]
    assert [f.rule_id for f in found] == ["PC-COUNTERTRANSFERENCE"]


def test_a_profile_can_keep_the_rules_findings_only(tmp_path) -> None:
    """process_content_classifier = false drops the sentence classifier's findings (decision
    "model") and keeps the rules'."""
    from note_assistant.checks.profiles import load_profile

    text = soap("Her lateness seems to be a quiet way of saying no. "
                "I felt irritated when she described her father.",
                "Affect constricted.", "Mood low, improving.", "Weekly CBT.")
    decisions = lambda result: sorted(f.data["decision"] for f in result.findings  # noqa: E731
                                      if f.category == "process-content")
    assert "model" in decisions(check_note(text))
    path = tmp_path / "rules-only.toml"
    path.write_text('name = "rules-only"\nextends = "default"\n\n[options]\n'
                    "process_content_classifier = false\n", encoding="utf-8")
    assert decisions(check_note(text, profile=load_profile(path))) == ["ct-feeling"]


def test_the_message_tells_a_rule_from_the_classifiers_guess() -> None:
    """A rule's finding names its cue; the classifier's says it is a guess, with its
    probability and the cue it points at."""
    text = soap("Her lateness seems to be a quiet way of saying no. "
                "I felt irritated when she described her father.",
                "Affect constricted.", "Mood low, improving.", "Weekly CBT.")
    found = {f.data["decision"]: f for f in check_note(text).findings
             if f.category == "process-content"}
    model, rule = found["model"], found["ct-feeling"]
    assert f"a guess by the sentence classifier, {model.data['score']:.2f}, " \
           f"near \"{model.cue}\"" in model.message
    assert 'cue "irritated"' in rule.message and "classifier" not in rule.message


def test_the_classifier_switch_must_be_true_or_false(tmp_path) -> None:
    from note_assistant.checks.profiles import ProfileError, load_profile

    path = tmp_path / "bad.toml"
    path.write_text('name = "bad"\n\n[options]\nprocess_content_classifier = "no"\n', encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert "process_content_classifier must be true or false" in message and "\n" not in message
