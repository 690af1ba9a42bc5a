"""Tests of butler."""
