"""Actions: one function per thing a person does. Each checks permission (``access``), runs one
write transaction, publishes its domain events on ``bus.BUS`` and returns what it made.

Views parse the request, call one action, and serialise the result; the CLI,
the demo seed and the worker call the same functions.
"""
