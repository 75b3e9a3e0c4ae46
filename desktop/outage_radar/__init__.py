"""Outage Radar: a desktop notifier for the status of AI services."""

__version__ = "0.1.0"
