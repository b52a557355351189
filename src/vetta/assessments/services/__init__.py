"""Writes of the assessments app, split by subdomain; import from the submodules."""
