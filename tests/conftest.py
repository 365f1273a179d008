"""Shared pytest fixtures. Data is built per test with the factories in tests/factories.py."""
