"""Reading and writing files: YAML case files and indicator systems, Excel imports and exports."""
