"""The LibreTranslate-compatible HTTP API: what Weblate, Mastodon and libretranslatepy speak, answered by the pipeline."""
