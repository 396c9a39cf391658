"""Publishing: what readers and organizers get from the memory.

outputs.py (outputs/<lang>/<text>.md with front matter), status.py (`translate
status`), handouts.py and handout_body.py (print-ready HTML), chromium.py (PDF
and PNG through headless Chromium), templates/ (the page, its CSS and labels).
"""
