"""The Plex Media Server client: requests, answers, errors; it never imports Home Assistant."""
