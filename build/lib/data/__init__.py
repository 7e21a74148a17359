"""The DuckDB store: schema and migrations, reference data, the demo generator and the CLI."""
