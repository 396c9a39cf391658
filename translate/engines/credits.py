"""The credits a model's licence asks for, wherever its output is shown (handouts, the API's provenance).

Mozilla publishes the Firefox Translations models under MPL-2.0 and asks to be
credited; OPUS-MT (the Argos packages' models) under CC BY 4.0; Apertium is GPL.
A route through several engines owes every one of them.
"""

from __future__ import annotations

KNOWN_ATTRIBUTIONS = {
    "opus-mt": "Tiedemann & Thottingal, OPUS-MT, EAMT 2020, CC BY 4.0",
    "firefox": "Firefox Translations models by Mozilla, MPL-2.0",
    "apertium": "Apertium, Forcada et al. 2011, GNU GPL",
}


def model_attribution(engine: str, model: str = "") -> str | None:
    """The attributions the licences of a route's models ask for, if this package knows them (a chain's
    every leg: "Firefox Translations models by Mozilla, MPL-2.0; Apertium, ...")."""
    key = f"{engine} {model}".lower()
    found = [
        credit for name, credit in KNOWN_ATTRIBUTIONS.items() if name in key or name.replace("-", "") in key.replace("-", "")
    ]
    return "; ".join(found) or None
