"""The reference platform: a real, durable implementation of the protocol in sync/.

It stands in for the city's central platform in the demo and in the tests, over
loopback HTTP, so the device is always tested against a peer that really decrypts.
"""
