"""The capture recorder: what a real server does, written to a file to attach to an issue.

It ships with the integration so that it runs where Home Assistant runs (`docker exec ... python
-m custom_components.plex_butler.capture`), with nothing else installed.
"""
