"""Developer tools that the kiosk's package does not ship: the screenshot tour and its
audit (what a person would find wrong on each screen), and a silent audio sink for tests
and benchmarks."""
