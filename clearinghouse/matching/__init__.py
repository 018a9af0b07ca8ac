"""Matching needs and requests with offers of support.

A pure-Python core (``engine.Matcher``) works on plain profiles (``profiles``): hard eligibility
rules filter the offers, a multilingual sentence embedding, lexical evidence and the controlled
vocabularies rank the rest, and every suggestion carries an explanation a person can check. See
docs/matching.md for the design, the scoring and the measured figures.
"""
