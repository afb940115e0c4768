"""Helpers for claim extraction: blocks, sentences, titles, seasons, networks, dates, tables."""
