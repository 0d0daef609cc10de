"""财政绩效评价工作台 — fiscal project performance-evaluation workbench."""

__version__ = "0.1.0"
