"""Helpers shared by the test folders: the real server in a subprocess (live.py) and the
browser-test fixtures built on it (browser.py). A folder's conftest imports what it uses."""
