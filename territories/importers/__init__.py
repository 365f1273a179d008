"""Imports of official reference files: territories, bodies, containment (and PETR).

`base` holds what every import shares; `reference` writes territories and bodies; `decoupage`,
`cog` and `banatic` read their sources. Commands in `territories/management/commands` call them.
"""
