"""Spoken guidance: the speech service (`service`), what may be said (`utterance`), recorded
packs (`packs`, `keys`), and the worker process that prepares and synthesises text.

Importing this package imports nothing else: the worker process must start without Qt.
"""
