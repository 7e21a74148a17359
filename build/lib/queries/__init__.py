"""Every SQL statement of the app (.sql files here) and the one runner that executes them."""
