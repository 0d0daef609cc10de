"""The pages of the app, one script each (listed in workbench/ui/navigation.py)."""
