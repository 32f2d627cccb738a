"""Deprecated argument names: one `DeprecationWarning`, then the new name's value."""

import warnings


def renamed_arguments(owner, renames, deprecated, values, defaults):
    """Moves arguments given under old names onto their new names.

    Args:
        owner: what takes the arguments, for the messages (e.g. "Checkpoint").
        renames: `{old name: new name}`, or `{old name: (new name, convert)}`
            where `convert` maps an old value onto the new argument's.
        deprecated: the `**kwargs` the caller received; an old name found
            there is removed from it.
        values: `{new name: value received}`.
        defaults: `{new name: its default}`; a new name whose value differs
            from it counts as given.

    Returns:
        `values`, updated with the old names' values.

    Raises:
        ValueError: an old name and its new name are both given.
    """
    values = dict(values)
    for old, new in renames.items():
        if old not in deprecated:
            continue
        convert = None
        if isinstance(new, tuple):
            new, convert = new
        value = deprecated.pop(old)
        if values[new] is not defaults[new] and values[new] != defaults[new]:
            raise ValueError(
                f"{owner}: `{old}` is the deprecated name of `{new}`; pass only `{new}`. "
                f"Received: {old}={value!r}, {new}={values[new]!r}")
        warnings.warn(f"{owner}: `{old}` is deprecated; use `{new}` instead.",
                      DeprecationWarning, stacklevel=3)
        values[new] = convert(value) if convert is not None else value
    return values


def check_no_unknown(owner, kwargs):
    """Raises `TypeError` for keyword arguments that are neither new nor old names."""
    if kwargs:
        raise TypeError(f"{owner}() got unexpected keyword arguments: {sorted(kwargs)}")


def add_deprecated_flag(parser, old, new, dest, **kwargs):
    """Adds `old` as a hidden, deprecated spelling of the flag `new` (same `dest`).

    Using it prints one warning line to stderr and sets `dest` as `new` would.
    """
    import argparse
    import sys

    class _Deprecated(argparse.Action):
        def __call__(self, parser, namespace, values, option_string=None):
            print(f"warning: {option_string} is deprecated; use {new} instead.",
                  file=sys.stderr)
            setattr(namespace, self.dest, values)

    parser.add_argument(old, dest=dest, action=_Deprecated, help=argparse.SUPPRESS,
                        default=argparse.SUPPRESS, **kwargs)
