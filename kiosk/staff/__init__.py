"""Navigator mode: staff sign-in, assisted sessions, drafts, and the navigators' own views."""
