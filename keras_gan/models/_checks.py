"""Argument checks shared by the model builders."""


def check_image_shape(image_shape, multiple=1):
    try:
        shape = tuple(int(d) for d in image_shape)
    except (TypeError, ValueError):
        raise ValueError(
            "`image_shape` must be (height, width, channels). "
            f"Received: image_shape={image_shape!r}"
        )
    if len(shape) != 3 or min(shape) < 1:
        raise ValueError(
            "`image_shape` must be (height, width, channels) with positive "
            f"sizes (channels-last). Received: image_shape={image_shape!r}"
        )
    if shape[0] % multiple or shape[1] % multiple:
        raise ValueError(
            f"Height and width must be divisible by {multiple} for this "
            f"architecture. Received: image_shape={image_shape!r}"
        )
    return shape


def check_positive_int(name, value):
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(
            f"`{name}` must be a positive integer. Received: {name}={value!r}"
        )
    return value


def check_filters(name, filters, min_len):
    """A tuple of at least `min_len` positive integers (channel counts)."""
    try:
        filters = tuple(filters)
    except TypeError:
        filters = None
    if (
        filters is None
        or len(filters) < min_len
        or any(not isinstance(f, int) or isinstance(f, bool) or f < 1 for f in filters)
    ):
        raise ValueError(
            f"`{name}` must be a sequence of at least {min_len} positive integers. "
            f"Received: {name}={filters!r}"
        )
    return filters
