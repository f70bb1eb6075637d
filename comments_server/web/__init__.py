"""The HTTP side: the app factory, JSON API blueprints, request contracts, serialisers, security, the site."""
