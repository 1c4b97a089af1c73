"""Artwork: candidates from every provider, cheap analysis, scoring, selection and the cache."""
