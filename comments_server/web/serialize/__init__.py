"""Serialisers: store rows -> the JSON the API answers, one module per area."""
