"""The serve stage: `translate serve`, the review pages in a browser (and, later, an HTTP API beside them)."""
