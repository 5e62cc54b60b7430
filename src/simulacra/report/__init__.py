"""Shared report building blocks below the stages: the HTML page shell (page.py) and matplotlib plots (plots.py)."""
