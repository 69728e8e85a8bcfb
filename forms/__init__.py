"""Form definitions, answers and the form session: pure Python, no Qt."""
