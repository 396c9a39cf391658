"""The language gate: what a reader of a text in a language gets.

Organizers print handouts for people who cannot check the original, so each
text in each language is in one of three states, with the figures that put it
there:

- *reviewed*: people approved at least `review.publish_threshold` of its
  sentences;
- *machine draft fit to read*: not reviewed, but the route that wrote it scored
  at least `review.min_route_chrf` on the reference set (`routes.toml`: a
  route, or a language, without figures is not fit) and at most
  `review.max_flagged_share` of its sentences are predicted to need a person
  (`min_route_chrf = 0` asks for no figures: a project without a reference set);
- *draft for review only*: anything else. `translate handouts` builds none
  unless `--force`, and then every page carries a DRAFT banner.

One rule for every text, a share and a route score: the gate before this one
withheld a text when more than half of its unreviewed sentences carried engine
marks, so the short essay (six sentences) was withheld in Portuguese and
Italian (4 marked) and printed in Spanish and French (3 marked), though a
reading found 5 of its 6 sentences heavy or wrong in all four.

The defaults, from the figures on main: the chosen routes score chrF 71.6
(pt_BR), 69.8 (pt), 64.0 (gl), 63.9 (es), 61.6 (ca), 56.4 (it) and 55.9 (fr)
on the 90 reference sentences; every Apertium-only route scores 47.9 to 54.7,
and a bilingual reading of those drafts found 76-82 % of the es, fr, pt and it
sentences heavy or wrong. 60 keeps every route within a few points of those
out (fr and it are 1-2 points above the best of them), and lets through the
routes 7-17 points above. The flag marks 2 % (pt_BR) to 19 % (es, gl, it) of
the long essay's sentences on the fit routes and 32 % in French; 25 % lets a
reader meet at most one predicted problem in four sentences. The flag alone
caught only a third of the sentences a reading judged heavy or wrong, so a
sentence counts as needing a person by the review queue's own prediction
(translate.review.prediction: the checks, the sentence's length, its route's
steps and, where the run measured them, its round trip and a second route),
which found 91 % of the heavy-or-wrong Spanish sentences and 99 % of the French.

`translate status` shows the state per text and language; handouts follow it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from translate.config import ReviewOptions
from translate.engines.base import parse_spec
from translate.engines.route_file import Figures, RouteFile
from translate.glossary.model import Glossary
from translate.memory.records import MemoryEntry
from translate.review.prediction import needs_person as predicted_need
from translate.review.text_checks import check_text
from translate.run.signature import Signature
from translate.texts import SourceText

REVIEWED = "reviewed"
FIT = "machine draft fit to read"
DRAFT = "draft for review only"
NOT_TRANSLATED = "not translated"
STATES = (REVIEWED, FIT, DRAFT)
ADVICE = "review them or print with --force"


@dataclass(frozen=True)
class Verdict:
    """What a reader of one text in one language gets, and the figures that say so."""

    text: str
    language: str
    state: str
    reasons: list[str] = field(default_factory=list)
    sentences: int = 0  # distinct sentences of the text
    translated: int = 0
    reviewed: int = 0  # approved by a person
    needing_person: int = 0  # not approved, and predicted to need a person (`needs_person`), or not translated
    unchecked: int = 0  # not approved, translated before the quality checks: counted as needing a person
    route: str = ""  # the route that wrote most unreviewed drafts, as the route file names it
    route_chrf: float | None = None  # its chrF on the reference set; None: not measured
    references: str = ""  # the reference set's name

    @property
    def publishable(self) -> bool:
        """Whether a handout is built without --force."""
        return self.state in (REVIEWED, FIT)

    @property
    def review_share(self) -> str:
        return f"reviewed: {self.reviewed} of {self.sentences} sentences"

    @property
    def figures(self) -> str:
        """What a DRAFT banner says: the route's score and the sentences predicted to need a person."""
        return "; ".join(r for r in self.reasons if not r.startswith("reviewed:") and r != ADVICE)


def needs_person(entry: MemoryEntry) -> bool:
    """Whether an unreviewed sentence is predicted to need a person before a reader gets it: the review
    queue's own rule (translate.review.prediction, calibrated on bilingual readings); a sentence never
    checked counts too."""
    if entry.notes.signals is None:
        return True
    return predicted_need(entry.notes, entry.source_text, entry.signature)


def draft_route(entries: Iterable[MemoryEntry]) -> str:
    """The route that wrote most of these machine drafts, as the route file writes routes
    ('bergamot:en>pt_BR + apertium:pt_BR>es', 'apertium:en>es>fr'); '' when none says."""
    routes = Counter(_spec(Signature.parse(e.signature)) for e in entries if e.signature)
    routes.pop("", None)
    return routes.most_common(1)[0][0] if routes else ""


def _spec(signature: Signature) -> str:
    if signature.route in ("", "?"):
        return ""
    if ":" in signature.route:
        return signature.route.replace("+", " + ")
    return f"{signature.engine}:{signature.route}"


def route_figures(routes: RouteFile, language: str, route: str) -> Figures | None:
    """The route's scores on the reference set, from the route file's candidates for the language."""
    chosen = routes.get(language)
    if chosen is None or not route:
        return None
    try:
        wanted = parse_spec(route)
        return next((f for f in chosen.candidates if parse_spec(f.route) == wanted), None)
    except ValueError:
        return None


def verdict(
    text: SourceText,
    language: str,
    entries: Mapping[str, MemoryEntry],
    review: ReviewOptions | None = None,
    routes: RouteFile | None = None,
) -> Verdict:
    """The gate's verdict for one text in one language, from the memory's entries of its sentences
    and the route file's figures."""
    review = review or ReviewOptions()
    sentences = list(dict.fromkeys(s.text for s in text.document.segments))
    found = [entries[s] for s in sentences if s in entries]
    total = len(sentences)
    reviewed = sum(e.status == "approved" for e in found)
    open_ = [e for e in found if e.status != "approved"]
    unchecked = sum(e.notes.signals is None for e in open_)
    needing = sum(needs_person(e) for e in open_) + (total - len(found))
    route = draft_route(e for e in open_ if e.status == "machine") or draft_route(found)
    figures = route_figures(routes or RouteFile(), language, route)
    chrf = figures.chrf if figures else None
    base = Verdict(
        text=text.path.name,
        language=language,
        state=DRAFT,
        sentences=total,
        translated=len(found),
        reviewed=reviewed,
        needing_person=needing,
        unchecked=unchecked,
        route=route,
        route_chrf=chrf,
        references=routes.references if routes else "",
    )
    share = f"reviewed: {reviewed} of {total} sentences"
    if not found:
        return replace(base, state=NOT_TRANSLATED, reasons=["not translated yet"])
    if total and reviewed / total >= review.publish_threshold:
        reasons = [share, f"at least {review.publish_threshold:.0%} approved by a person"]
        return replace(base, state=REVIEWED, reasons=reasons)
    on = f" on the reference set '{routes.references}'" if routes and routes.references else " on the reference set"
    if chrf is None:
        quality = f"route {route or '(unknown)'} not measured{on} (translate routes evaluate)"
        good_route = review.min_route_chrf <= 0  # an organizer who set no floor asks for no figures
    else:
        good_route = chrf >= review.min_route_chrf
        quality = f"route chrF {chrf:.1f}{on} {'≥' if good_route else '<'} {review.min_route_chrf:g} ({route})"
    few = total > 0 and needing / total <= review.max_flagged_share
    predicted = (
        f"{needing} of {total} sentences predicted to need a person "
        f"({needing / total:.0%} {'≤' if few else '>'} {review.max_flagged_share:.0%})"
        if total
        else "no sentences"
    )
    if unchecked:
        predicted += f", {unchecked} of them not checked yet (the next `translate run` checks them)"
    if good_route and few:
        return replace(base, state=FIT, reasons=[quality, predicted, share])
    return replace(base, reasons=[quality, predicted, share, ADVICE])


def doubtful_segments(text: SourceText, entries: Mapping[str, MemoryEntry]) -> set[int]:
    """The segments a reader should doubt (a handout's margin marks): not approved by a person,
    with quality signals."""
    return {
        s.index
        for s in text.document.segments
        if (entry := entries.get(s.text)) is not None and entry.status != "approved" and entry.notes.signals
    }


def doubted_approvals(text: SourceText, entries: Mapping[str, MemoryEntry], glossary: Glossary | None, target: str) -> set[int]:
    """Approved segments whose printed text the checks still doubt (translate.review.text_checks): a person
    approved them anyway, and the margin says so. One check per distinct sentence."""
    verdicts: dict[str, bool] = {}
    found = set()
    for segment in text.document.segments:
        entry = entries.get(segment.text)
        if entry is None or entry.status != "approved" or not entry.final_text:
            continue
        if segment.text not in verdicts:
            verdicts[segment.text] = bool(check_text(segment.text, entry.final_text, entry.source_lang, target, glossary))
        if verdicts[segment.text]:
            found.add(segment.index)
    return found
