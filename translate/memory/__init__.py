"""The translation memory: one SQLite file holding every translation and review decision.

store.py (TranslationMemory), records.py (what it hands out), notes.py (the
typed notes beside each machine translation), schema.py (migrations), tmx.py
(TMX 1.4 out and in).
"""
