"""Imports of official lists of people: the Répertoire national des élus (`rne`)."""
