"""Serialisers: rows from store/ to the API's JSON, for the viewer access/ describes. One module per area."""
