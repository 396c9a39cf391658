"""Translation engines behind one small interface, chosen by name.

base.py (Engine, Route), registry.py (ENGINES and the per-run Engines chooser),
argos.py and argos_store.py (Argos packages on CTranslate2), apertium.py and
apertium_packages.py (Apertium through its command and Debian packages).
"""
