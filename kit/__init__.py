"""Instructor tooling for the CS231n course kit: release pipeline, notebooks, showcase."""
