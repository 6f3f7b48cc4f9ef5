"""Roadmap actions: priorities merged into the cells of the roadmap (Table 1), by coordinators."""
