"""TBX (ISO 30042): the glossary as a termbase that Weblate, OmegaT and other CAT tools open.

`to_tbx` writes TBX-Basic (martif); `from_tbx`/`load_tbx` read that and TBX v3.
What TBX has no field for (glossary version, do-not-translate, case
sensitivity, target-only terms) travels in `x-` admin fields and header
paragraphs, so a glossary survives the round trip unchanged (same version hash).
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from translate.errors import ConfigError, LanguageError
from translate.glossary.model import STATUSES, Glossary, from_data
from translate.languages import check_code

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PROCESS = {"approved": "finalized", "proposed": "provisionallyProcessed"}
_PROCESS_BACK = {v: k for k, v in _PROCESS.items()} | {s: s for s in STATUSES}
_GENDER = {"m": "masculine", "f": "feminine", "n": "neuter"}
_GENDER_BACK = {v: k for k, v in _GENDER.items()}


def to_tbx(glossary: Glossary) -> bytes:
    """TBX-Basic (martif) XML: termEntry per concept, langSet per language, tig per
    term with administrativeStatus (preferred/admitted) and processStatus
    (finalized = approved, provisionallyProcessed = proposed)."""
    root = ET.Element("martif", {"type": "TBX-Basic", _XML_LANG: glossary.source_language})
    file_desc = ET.SubElement(ET.SubElement(root, "martifHeader"), "fileDesc")
    ET.SubElement(ET.SubElement(file_desc, "titleStmt"), "title").text = glossary.name
    source_desc = ET.SubElement(file_desc, "sourceDesc")
    header = {
        "x-version": glossary.release,
        "x-source-languages": " ".join(glossary.source_languages),
        "x-languages": " ".join(glossary.languages),
        "x-note": glossary.note,
        "x-variants": " ".join(f"{variant}={base}" for variant, base in glossary.variants),
    }
    for kind, value in header.items():
        if value:
            ET.SubElement(source_desc, "p", {"type": kind}).text = value
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for concept in glossary.concepts:
        entry = ET.SubElement(body, "termEntry", {"id": concept.id})
        _notes(entry, concept.note, concept.source)
        if concept.status != "approved":
            ET.SubElement(entry, "admin", {"type": "x-processStatus"}).text = concept.status
        if not concept.translate:
            ET.SubElement(entry, "admin", {"type": "x-doNotTranslate"}).text = "yes"
        if concept.case_sensitive:
            ET.SubElement(entry, "admin", {"type": "x-caseSensitive"}).text = "yes"
        for language, termset in concept.languages.items():
            if termset.inherited:  # a variant's terms come from its language, as in the TOML file
                continue
            lang_set = ET.SubElement(entry, "langSet", {_XML_LANG: language})
            _notes(lang_set, termset.note, termset.source)
            if not termset.match:
                ET.SubElement(lang_set, "admin", {"type": "x-match"}).text = "no"
            for n, term in enumerate(termset.terms):
                tig = ET.SubElement(lang_set, "tig")
                ET.SubElement(tig, "term").text = term
                status = "preferredTerm-admn-sts" if n == 0 else "admittedTerm-admn-sts"
                ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
                ET.SubElement(tig, "termNote", {"type": "processStatus"}).text = _PROCESS[termset.status]
                if concept.pos != "noun":
                    ET.SubElement(tig, "termNote", {"type": "partOfSpeech"}).text = concept.pos
                grammar = termset.grammar_of(term)
                if grammar.rstrip("p"):
                    ET.SubElement(tig, "termNote", {"type": "grammaticalGender"}).text = _GENDER[grammar[0]]
                if grammar:
                    number = "plural" if grammar.endswith("p") else "singular"
                    ET.SubElement(tig, "termNote", {"type": "grammaticalNumber"}).text = number
    for quotation in glossary.quotations:  # a published passage: an entry marked x-quotation, its edition per language
        entry = ET.SubElement(body, "termEntry", {"id": quotation.id})
        _notes(entry, quotation.note, "")
        ET.SubElement(entry, "admin", {"type": "x-quotation"}).text = "yes"
        for language, texts in quotation.texts.items():
            lang_set = ET.SubElement(entry, "langSet", {_XML_LANG: language})
            _notes(lang_set, "", quotation.editions[language])
            for n, text in enumerate(texts):
                tig = ET.SubElement(lang_set, "tig")
                ET.SubElement(tig, "term").text = text
                status = "preferredTerm-admn-sts" if n == 0 else "admittedTerm-admn-sts"
                ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _notes(parent, note: str, source: str) -> None:
    if note:
        ET.SubElement(parent, "note").text = note
    if source:
        ET.SubElement(parent, "admin", {"type": "source"}).text = source


def from_tbx(data: bytes, where: str = "<tbx>") -> Glossary:
    """Read TBX-Basic/martif (termEntry, langSet, tig) or TBX v3 (conceptEntry,
    langSec, termSec) as written by Weblate, OmegaT or to_tbx()."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ConfigError(f"{where}: malformed TBX: {exc}") from None
    for element in root.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]
    if root.tag not in ("martif", "tbx"):
        raise ConfigError(f"{where}: not TBX (root element <{root.tag}>, expected <martif> or <tbx>)")
    header = {p.get("type"): (p.text or "").strip() for p in root.iter("p") if p.get("type")}
    title = root.find(".//titleStmt/title")
    concepts = []
    quotations = []
    for number, entry in enumerate(e for e in root.iter() if e.tag in ("termEntry", "conceptEntry")):
        if any(a.get("type") == "x-quotation" and a.text == "yes" for a in entry.findall("admin")):
            quotations.append(_quotation(entry, number))
            continue
        concept: dict = {"id": entry.get("id") or f"concept-{number + 1}", "terms": {}}
        concept.update(_read_notes(entry))
        admin = {a.get("type"): (a.text or "").strip() for a in entry.findall("admin")}
        if admin.get("x-processStatus"):
            concept["status"] = admin["x-processStatus"]
        if admin.get("x-doNotTranslate") == "yes":
            concept["translate"] = False
        if admin.get("x-caseSensitive") == "yes":
            concept["case_sensitive"] = True
        for lang_set in (e for e in entry if e.tag in ("langSet", "langSec")):
            language = lang_set.get(_XML_LANG) or lang_set.get("lang")
            if not language:
                raise ConfigError(f"{where}: concept '{concept['id']}': langSet without xml:lang")
            try:
                check_code(language)
            except LanguageError as err:
                raise ConfigError(f"{where}: concept '{concept['id']}': {err}") from None
            preferred: list[str] = []
            admitted: list[str] = []
            statuses: set[str] = set()
            grammar: dict[str, str] = {}
            for tig in (e for e in lang_set if e.tag in ("tig", "termSec", "ntig")):
                term = tig.find(".//term")
                written = (term.text or "").strip() if term is not None else ""
                if not written:
                    continue
                notes = {n.get("type"): (n.text or "").strip() for n in tig.iter("termNote")}
                first = notes.get("administrativeStatus", "").startswith("preferredTerm")
                (preferred if first else admitted).append(written)
                if notes.get("partOfSpeech") in ("adjective", "phrase"):
                    concept["pos"] = notes["partOfSpeech"]
                gender = _GENDER_BACK.get(notes.get("grammaticalGender", ""), "")
                plural = "p" if notes.get("grammaticalNumber") == "plural" else ""
                if gender or plural or notes.get("grammaticalNumber") == "singular":
                    grammar[written] = (gender + plural) or ""
                statuses.add(_PROCESS_BACK.get(notes.get("processStatus", "finalized"), "approved"))
            if not preferred + admitted:
                continue
            termset = {"terms": preferred + admitted, **_read_notes(lang_set)}
            if any(a.get("type") == "x-match" and a.text == "no" for a in lang_set.findall("admin")):
                termset["match"] = False
            if "proposed" in statuses:
                termset["status"] = "proposed"
            concept["terms"][language] = termset
            if any(grammar.values()):
                concept.setdefault("grammar", {})[language] = [grammar.get(t, "") for t in preferred + admitted]
        concepts.append(concept)
    first_language = next(iter(concepts[0]["terms"]), "en") if concepts else "en"
    glossary_header = {
        "name": (title.text or "").strip() if title is not None and title.text else Path(where).stem or "glossary",
        "version": header.get("x-version", "1"),
        "source_language": root.get(_XML_LANG) or first_language,
        "source_languages": header.get("x-source-languages", "").split(),
        "languages": header.get("x-languages", "").split(),
        "note": header.get("x-note", ""),
        "variants": dict(pair.split("=", 1) for pair in header.get("x-variants", "").split() if "=" in pair),
    }
    parsed = {"glossary": glossary_header, "concept": concepts, **({"quotation": quotations} if quotations else {})}
    return from_data(parsed, where)


def _quotation(entry, number: int) -> dict:
    """A termEntry written for a [[quotation]]: its texts (preferred first) and editions per language."""
    found: dict = {"id": entry.get("id") or f"quotation-{number + 1}", "text": {}, "edition": {}}
    found.update({k: v for k, v in _read_notes(entry).items() if k == "note"})
    for lang_set in (e for e in entry if e.tag in ("langSet", "langSec")):
        language = lang_set.get(_XML_LANG) or lang_set.get("lang") or ""
        texts = [t.text.strip() for t in lang_set.iter("term") if (t.text or "").strip()]
        if texts:
            found["text"][language] = texts if len(texts) > 1 else texts[0]
            found["edition"][language] = _read_notes(lang_set).get("source", "")
    return found


def _read_notes(element) -> dict:
    found = {}
    note = element.find("note")
    if note is None:
        note = next((d for d in element.findall("descrip") if d.get("type") in ("definition", "note")), None)
    if note is not None and (note.text or "").strip():
        found["note"] = note.text.strip()
    source = next((a for a in element.findall("admin") if a.get("type") == "source"), None)
    if source is None:
        source = next((d for d in element.findall("descrip") if d.get("type") == "source"), None)
    if source is not None and (source.text or "").strip():
        found["source"] = source.text.strip()
    return found


def load_tbx(path: str | Path) -> Glossary:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: TBX file not found") from None
    return from_tbx(data, str(path))
