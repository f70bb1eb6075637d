"""Serialisers: rows from ``store`` to the JSON the API answers, one module per area."""
