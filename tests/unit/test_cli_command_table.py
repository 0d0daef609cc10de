"""``workbench NAME`` loads only the module ``workbench.cli.COMMANDS`` names for it: the table
must name, for every command of the command line, the module that registers it."""

from workbench.cli import COMMANDS, MODULE_ORDER, app


def registering_modules():
    found = {}
    for info in app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        found[name] = info.callback.__module__
    for group in app.registered_groups:
        modules = {c.callback.__module__ for c in group.typer_instance.registered_commands}
        assert len(modules) == 1, group.name
        found[group.name] = modules.pop()
    return found


def test_every_command_is_listed_with_the_module_that_registers_it():
    found = registering_modules()

    assert {name: f"workbench.cli.{module}" for name, module in COMMANDS.items()} == found


def test_every_module_of_the_table_is_loaded_for_the_full_command_list():
    assert set(COMMANDS.values()) == set(MODULE_ORDER)
