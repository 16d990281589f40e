"""The inventory data: size, schema, error messages, layering, and the general-layer build."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from abbreviations import InventoryError, load_inventory
from abbreviations.inventory import read_jsonl
from abbreviations.schema import InventoryEntry

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "clinical_abbreviation_metainventory"


def _layer(name: str) -> list[InventoryEntry]:
    text = resources.files("abbreviations.data").joinpath(name).read_text("utf-8")
    return read_jsonl(text, InventoryEntry, name)


def test_mental_health_layer_has_at_least_260_forms():
    entries = _layer("mental_health.jsonl")
    assert len({e.form for e in entries}) >= 260


@pytest.mark.parametrize(
    "form",
    ["CBT", "DBT", "ACT", "MI", "IPT", "EMDR", "PE", "CPT", "TF-CBT", "BA", "ERP", "CRT",
     "MDD", "GAD", "PTSD", "BPD", "OCD", "ADHD", "AUD", "OUD", "SUD", "ED", "PD",
     "PHQ-9", "GAD-7", "C-SSRS", "PCL-5", "AUDIT", "CIWA", "COWS", "AIMS", "Y-BOCS",
     "SI", "HI", "NSSI", "SH", "AH", "VH", "AVH", "SIB", "IOP", "PHP", "LOC", "RTC", "ER",
     "PRN", "BID", "TID", "QHS", "SSRI", "SNRI", "MAT", "LAI", "LCSW", "LMFT", "LPC", "LMHC",
     "PsyD", "PMHNP", "CPS", "DCFS", "IEP", "ROI", "IVC", "5150", "FMLA", "pt", "Cl", "c/o",
     "s/p", "h/o", "hx", "dx", "tx", "sx", "f/u", "w/", "w/o", "HW", "TP", "WNL", "NAD",
     "A&Ox3", "A&Ox4", "UDS", "ETOH", "THC", "NA", "AA", "SW", "CM", "SA", "RO", "DC", "PT", "MSE"],
)
def test_required_forms_are_known(form):
    assert load_inventory().lookup(form) is not None, form


def test_mental_health_priors_favour_the_therapy_senses():
    inventory = load_inventory()
    si = inventory.lookup("SI").entry
    assert si.source == "mental-health"
    assert max(si.senses, key=lambda s: s.prior).id == "suicidal-ideation"


def test_general_layer_is_small_and_clean():
    entries = _layer("general.jsonl")
    assert 300 < len(entries) <= 3000
    assert all(len(e.form) <= 8 for e in entries)
    assert {e.category for e in entries} == {"general", "unit"}
    units = {e.form.lower() for e in entries if e.category == "unit"}
    assert {"mg", "ml", "cm"} <= units


def test_retired_and_junk_senses_are_not_shipped():
    expansions = {s.expansion for e in _layer("general.jsonl") for s in e.senses}
    assert not [x for x in expansions if "**" in x or x.startswith("typo") or "not an acronym" in x]


def test_same_spelling_twice_in_a_layer_is_refused(tmp_path):
    path = tmp_path / "house.jsonl"
    entry = {"form": "XQ", "case_sensitive": True, "category": "clinic",
             "senses": [{"id": "a", "expansion": "alpha", "prior": 1.0}]}
    path.write_text(json.dumps(entry) + "\n" + json.dumps({**entry, "form": "XR", "variants": ["XQ"]}) + "\n")
    with pytest.raises(InventoryError, match="XQ"):
        load_inventory([path])


def test_an_unknown_cue_domain_is_refused_on_load_not_on_first_lookup(tmp_path):
    """Entries are compiled lazily, but a misspelt domain still fails when the file loads."""
    path = tmp_path / "house.jsonl"
    entry = {"form": "XQ", "case_sensitive": True, "category": "clinic",
             "senses": [{"id": "a", "expansion": "alpha", "prior": 1.0, "domains": ["no-such-domain"]}]}
    path.write_text(json.dumps(entry) + "\n")
    with pytest.raises(InventoryError, match="unknown domain 'no-such-domain'"):
        load_inventory([path])


@pytest.mark.parametrize(
    ("line", "field", "fragment"),
    [
        ('{"form": "XQ", "category": "clinic", "senses": [{"id": "a", "expansion": "x", "prior": 1.5}]}',
         "senses.0.prior", "less than or equal to 1"),
        ('{"form": "XQ", "category": "clinic", "senses": []}', "senses", "at least 1"),
        ('{"form": "XQ", "category": "clinic", "senses": [{"id": "a", "expansion": "x", "prior": 1}], "colour": "red"}',
         "colour", "Extra inputs"),
        ('{"form": "XQ", "category": "nonsense", "senses": [{"id": "a", "expansion": "x", "prior": 1}]}',
         "category", "Input should be"),
        ('{"form": "XQ", "category": "clinic", "senses": [{"id": "a", "expansion": "x", "prior": 1, "cues": ["two words"]}]}',
         "senses.0.cues", "one word"),
        ('{"form": "XQ", "common_word": true, "category": "clinic", "senses": [{"id": "a", "expansion": "x", "prior": 1}]}',
         "(entry)", "case_sensitive"),
        ('{"form": "XQ", "category": "clinic", "senses": [{"id": "a", "expansion": "x", "prior": 0.7}, {"id": "b", "expansion": "y", "prior": 0.6}]}',
         "(entry)", "add up"),
    ],
)
def test_bad_entry_names_file_line_and_field(tmp_path, line, field, fragment):
    good = '{"form": "OKAY", "category": "clinic", "senses": [{"id": "ok", "expansion": "fine", "prior": 1}]}'
    path = tmp_path / "house.jsonl"
    path.write_text(good + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InventoryError) as info:
        load_inventory([path])
    message = str(info.value)
    assert str(path) in message
    assert "line 3" in message
    assert f"field '{field}'" in message
    assert fragment in message
    assert info.value.line == 3 and info.value.field == field
    assert isinstance(info.value, ValueError)


def test_invalid_json_names_file_and_line(tmp_path):
    path = tmp_path / "house.jsonl"
    path.write_text('{"form": "XQ",\n', encoding="utf-8")
    with pytest.raises(InventoryError, match=r"house\.jsonl, line 1: not valid JSON"):
        load_inventory([path])


def test_missing_file_is_an_inventory_error(tmp_path):
    with pytest.raises(InventoryError, match="cannot read"):
        load_inventory([tmp_path / "absent.jsonl"])


def test_clinic_layer_wins_and_keeps_lower_senses(tmp_path):
    path = tmp_path / "house.jsonl"
    path.write_text(json.dumps({
        "form": "SI", "case_sensitive": True, "category": "clinic",
        "senses": [{"id": "sensory-integration", "expansion": "sensory integration", "prior": 0.6}],
    }) + "\n", encoding="utf-8")
    entry = load_inventory([path]).lookup("SI").entry
    assert entry.source == "clinic"
    assert entry.senses[0].id == "sensory-integration"
    # the mental-health senses share the 0.4 the clinic left unassigned
    others = {s.id: s.prior for s in entry.senses[1:]}
    assert others["suicidal-ideation"] == pytest.approx(0.4 * 0.93, abs=1e-6)
    # the built-in inventory is unchanged
    assert load_inventory().lookup("SI").entry.source == "mental-health"


def test_house_shorthand_adds_new_forms(tmp_path):
    path = tmp_path / "house.jsonl"
    path.write_text(json.dumps({"form": "WRC", "category": "clinic", "senses": [
        {"id": "wellness-room", "expansion": "wellness recovery center", "prior": 1}]}) + "\n")
    assert load_inventory([path]).lookup("wrc").entry.senses[0].expansion == "wellness recovery center"
    assert load_inventory().lookup("WRC") is None


def test_load_inventory_is_cached_per_process():
    assert load_inventory() is load_inventory()


@pytest.mark.skipif(not (SHARED / "sources").is_dir(), reason="shared data not present")
def test_general_layer_is_what_the_build_script_makes():
    from abbreviations.tools.build_general import build

    built = [json.dumps(e, ensure_ascii=False) for e in build(SHARED)]
    shipped = resources.files("abbreviations.data").joinpath("general.jsonl").read_text("utf-8").splitlines()
    assert built == shipped


def test_compiled_cue_weights_follow_the_definition_for_every_packaged_entry():
    """A sense's own cue words (and their inflections) vote 1.0, its domains' words 0.5, the
    larger vote winning: the compiled table, built from shared per-domain forms, must say
    exactly that for every entry of every packaged layer."""
    from abbreviations import inventory as inv

    def reference(entry):
        weights: dict[str, dict[int, float]] = {}
        for index, sense in enumerate(entry.senses):
            words = [(cue, 1.0) for cue in sense.cues]
            for domain in sense.domains:
                words += [(word, inv.DOMAIN_WEIGHT) for word in inv.cue_domains()[domain]]
            for word, weight in words:
                for form in (inv.cue_forms(word) if not word.startswith("<") else {word}):
                    bucket = weights.setdefault(form, {})
                    bucket[index] = max(bucket.get(index, 0.0), weight)
        return {form: tuple(sorted(bucket.items())) for form, bucket in weights.items()}

    checked = with_domains = 0
    for layer in load_inventory()._layers:
        for entry in {id(e): e for e in (*layer.exact.values(), *layer.folded.values())}.values():
            compiled = inv._compile(entry, layer.name, layer.origin)
            assert compiled.cue_map == reference(entry), entry.form
            checked += 1
            with_domains += any(s.domains for s in entry.senses)
    assert checked > 1000 and with_domains > 50


# --- one meaning worded twice (concept) ------------------------------------------------------

def _worded_twice(concept: bool) -> dict:
    tag = {"concept": "umls:C0000001"} if concept else {}
    return {"form": "ZQX", "case_sensitive": True, "category": "clinic", "senses": [
        {"id": "zeta-quick-exam", "expansion": "zeta quick exam", "prior": 0.35, **tag},
        {"id": "zq-exam", "expansion": "zq (quick exam)", "prior": 0.35, **tag},
        {"id": "zone-x", "expansion": "zone x", "prior": 0.3}]}


@pytest.mark.parametrize("concept", [True, False])
def test_senses_of_one_concept_are_one_meaning(concept: bool) -> None:
    """Two wordings of one concept add up and are not each other's alternative; without the
    concept they compete, and the context cannot settle it."""
    from abbreviations import expand

    (found,) = expand("ZQX done today.", extra_entries=[_worded_twice(concept)]).abbreviations
    if concept:
        assert found.expansion == "zeta quick exam" and found.confidence == pytest.approx(0.7, abs=0.01)
        assert [a.expansion for a in found.alternatives] == ["zone x"] and not found.ambiguous
    else:
        assert found.ambiguous and "zq (quick exam)" in [a.expansion for a in found.alternatives]


def test_a_concept_must_look_like_a_namespaced_id() -> None:
    entry = _worded_twice(True)
    entry["senses"][0]["concept"] = "not a concept"
    with pytest.raises(ValueError, match="concept"):
        InventoryEntry.model_validate(entry)


def test_the_general_layer_marks_wordings_of_one_umls_concept() -> None:
    """HEENT, S2 and CMP are each listed twice by the Vanderbilt sources under one UMLS
    concept; they read as one meaning, not as ambiguous."""
    from abbreviations import expand

    found = {a.text: a for a in expand("HEENT: clear. Regular S1, S2. CBC and CMP drawn.").abbreviations}
    for form in ("HEENT", "S2", "CMP"):
        assert not found[form].ambiguous and found[form].confidence == 1.0, form
    # S1 is two meanings (first heart sound, first sacral level): the curated entry's cue words
    # pick the heart sound here ("regular", "S2"); with no context it stays ambiguous.
    assert not found["S1"].ambiguous and found["S1"].expansion == "first heart sound"
    (alone,) = [a for a in expand("S1 noted.").abbreviations if a.text == "S1"]
    assert alone.ambiguous


def test_wordings_of_one_meaning_say_the_same_words() -> None:
    from abbreviations.tools.build_general import _wording

    assert _wording("cervical four", "c4") == _wording("cervical vertebra 4", "c4")
    assert _wording("lumbar 2", "l2") == _wording("l2 (second lumbar vertebra)", "l2")
    assert _wording("neurology", "neuro") == _wording("neurological", "neuro")
    assert _wording("clinic", "clin") != _wording("clinical", "clin")
    assert _wording("cervical vertebra 4", "c4") != _wording("complement component 4", "c4")


def test_concepts_join_wordings_without_a_shared_umls_concept() -> None:
    from abbreviations.tools.build_general import _concepts

    senses = ["lumbar five", "l5 (5th lumbar vertebra)", "lumbar disc"]
    assert _concepts(senses, {}, "l5") == {"lumbar five": "wording:5lumbar",
                                           "l5 (5th lumbar vertebra)": "wording:5lumbar"}
    # a UMLS concept of any member names the group
    assert set(_concepts(senses, {"lumbar five": {"C9"}}, "l5").values()) == {"umls:C9"}


def test_wordings_of_one_meaning_are_not_ambiguous_in_a_note() -> None:
    from abbreviations import expand

    found = {a.text: a for a in expand("Neuro: grossly intact. Pain radiates from L2.").abbreviations}
    assert not found["Neuro"].ambiguous and found["Neuro"].confidence == 1.0
    assert not found["L2"].ambiguous and found["L2"].expansion == "lumbar 2"


def test_concepts_are_grouped_transitively() -> None:
    from abbreviations.tools.build_general import _concepts

    cuis = {"a": {"C1"}, "b": {"C1", "C2"}, "c": {"C2"}, "d": {"C3"}}
    assert _concepts(["a", "b", "c", "d"], cuis) == {"a": "umls:C1", "b": "umls:C1", "c": "umls:C1"}
