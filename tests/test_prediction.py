"""The one score per draft (translate.review.prediction): what the queue orders by and the gate counts."""

from __future__ import annotations

from translate.memory.notes import Notes, Signal
from translate.review.prediction import NEUTRAL, needs_person, predict, predicted_count, risk

SOURCE = "Revolutionaries like Lenin, and the workers who read him, will not be fooled by this spectacle."


def test_a_draft_far_from_its_source_back_in_english_ranks_above_one_that_comes_back_whole():
    close = Notes(signals=[], measures={"roundtrip": 90.0, "disagreement": 80.0, "agreement": 0.0})
    far = Notes(signals=[], measures={"roundtrip": 20.0, "disagreement": 15.0, "agreement": 0.0})
    assert risk(far, SOURCE) > risk(close, SOURCE)
    assert any("back in English" in reason for reason in predict(far, SOURCE).reasons)
    assert not predict(close, SOURCE).reasons  # a measure that speaks for the draft is no reason


def test_a_draft_the_checks_flagged_or_left_untranslated_always_needs_a_person():
    quiet = {"roundtrip": 100.0, "disagreement": 100.0, "agreement": 0.0}
    flagged = Notes(flagged=True, signals=[Signal("unknown-words", "unknown words", ("XT",), 3.0)], measures=quiet)
    untranslated = Notes(left_untranslated="too long", measures=quiet)
    assert needs_person(flagged, "A.") and needs_person(untranslated, "A.")
    drafts = [("A.", flagged, ""), ("A.", untranslated, ""), ("A.", Notes(signals=[], measures=quiet), "")]
    assert predicted_count(drafts) == 2


def test_a_draft_stored_before_the_cross_check_is_judged_on_its_checks_alone():
    unmeasured = Notes(signals=[Signal("unknown-words", "unknown words", ("foo",), 1.0)])
    neutral = Notes(signals=unmeasured.signals, measures=dict(NEUTRAL))
    assert risk(unmeasured, SOURCE) == risk(neutral, SOURCE)
    assert not predict(unmeasured, SOURCE).reasons
