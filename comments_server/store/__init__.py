"""Storage: one module per aggregate; all SQL lives here. Functions take db first, keywords after."""
