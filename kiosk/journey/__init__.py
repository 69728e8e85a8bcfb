"""The resident's journey: the screen flow (flow.py) and its helpers. Other modules use
`Journey`'s public methods; only this package touches its private members."""

from kiosk.journey.flow import Journey

__all__ = ["Journey"]
