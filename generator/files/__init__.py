"""Writing files safely: atomic replacement, one lock per output folder, a journal that makes a
multi-file render all-or-nothing and recoverable, and the manifest of what gen wrote.

Nothing here knows about blueprints or formats; :mod:`generator.output` decides what to write.
"""
