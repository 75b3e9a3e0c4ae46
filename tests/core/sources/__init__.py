"""Tests of the status-page parsers, the platform registry and scope()."""
