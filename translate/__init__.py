"""translate: an offline machine-translation pipeline for essays.

texts/ -> segment -> translation memory -> glossary mask -> engine (batched)
       -> unmask + check -> memory -> PO for review -> outputs/ and handouts
"""

__version__ = "0.1.0"
