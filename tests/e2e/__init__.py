"""End-to-end: a real Home Assistant process, the simulated Plex server and headless Chromium."""
