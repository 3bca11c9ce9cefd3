from kpi_utils.cli import main

raise SystemExit(main())
