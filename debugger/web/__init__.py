"""The Flask application: factory, API and page blueprints, demo API, request guard, server."""
