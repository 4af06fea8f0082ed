"""``python -m generator`` runs the ``gen`` command line."""

from generator.cli import main

main()
