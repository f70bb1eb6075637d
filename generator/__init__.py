"""Authoring side: programs.yml + Markdown -> validated model -> MkDocs site + catalog.json."""
