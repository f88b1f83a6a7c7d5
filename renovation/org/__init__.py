"""The household register, the lowest area: jurisdiction tree, compounds, buildings, entrances,
households, owners; the pure rules and the parsing of register files. It has no pages of its own: the
squad keeps a project's register through ``renovation.roster``."""


def init_app(app) -> None:
    """Nothing to register: the register has no pages or commands of its own (yet)."""
