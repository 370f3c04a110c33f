"""``python -m pgtdd``: the ``pgtdd`` command."""

from pgtdd.cli.main import main

raise SystemExit(main())
