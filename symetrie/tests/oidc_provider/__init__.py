"""A small OpenID provider for the tests: django-oauth-toolkit's OpenID Connect support.

A Django project of its own, run in its own process by the `oidc_provider` fixture on a
free loopback port (`python -m symetrie.tests.oidc_provider`). Its users, the claims it
sends and the ways it may spoil a token are read from a JSON state file the tests write
(see `state.py`), at every request: a test changes a user's groups between two logins, or
asks for an expired token, without restarting it.
"""
