"""Turning user images (any common layout and value range) into [0, 1] NHWC."""

import numpy as np

# Named value ranges accepted by `data_range`.
RANGES = {
    "0,1": (0.0, 1.0),
    "-1,1": (-1.0, 1.0),
    "0,255": (0.0, 255.0),
}
_TOL = 1e-3


def parse_range(data_range):
    """`"auto"`, a name in `RANGES` or a `(low, high)` pair -> "auto" or a tuple."""
    if data_range is None or data_range == "auto":
        return "auto"
    if isinstance(data_range, str):
        key = data_range.replace(" ", "").replace("[", "").replace("]", "")
        if key in RANGES:
            return RANGES[key]
        raise ValueError(
            f"Unknown data_range. Use 'auto', one of {sorted(RANGES)} or a "
            f"(low, high) pair. Received: data_range={data_range!r}"
        )
    try:
        low, high = (float(v) for v in data_range)
    except (TypeError, ValueError):
        raise ValueError(
            "data_range must be 'auto', a name like '-1,1' or a (low, high) "
            f"pair. Received: data_range={data_range!r}"
        ) from None
    if not high > low:
        raise ValueError(f"data_range needs low < high. Received: data_range={data_range!r}")
    return (low, high)


def to_nhwc(images, what="images"):
    """(N,H,W), (N,H,W,C) or (N,C,H,W) with C in {1, 3} -> (N,H,W,C)."""
    shape = tuple(images.shape)
    if images.ndim == 3:
        return images[..., None]
    if images.ndim == 4:
        if shape[-1] in (1, 3):
            return images
        if shape[1] in (1, 3):
            return np.transpose(images, (0, 2, 3, 1))
    raise ValueError(
        f"Expected {what} of shape (N, H, W), (N, H, W, C) or (N, C, H, W) "
        f"with C = 1 or 3. Received: {what}.shape={shape}"
    )


def detect_range(images, what="images"):
    """Guesses the value range of an image array; raises if none fits."""
    if images.dtype == np.uint8:
        return RANGES["0,255"], "0,255 (uint8)"
    lo, hi = float(images.min()), float(images.max())
    if np.issubdtype(images.dtype, np.integer):
        if lo >= 0 and hi <= 255:
            return RANGES["0,255"], "0,255"
    elif lo >= -1 - _TOL and hi <= 1 + _TOL:
        if lo < -_TOL:
            return RANGES["-1,1"], "-1,1"
        return RANGES["0,1"], "0,1"
    elif lo >= 0 and hi <= 255 + _TOL:
        return RANGES["0,255"], "0,255"
    raise ValueError(
        f"Cannot tell the value range of {what}: expected uint8 0..255, or "
        f"floats in [0, 1], [-1, 1] or [0, 255]. Received: {what} with "
        f"min={lo:g}, max={hi:g}, dtype={images.dtype}. Pass data_range= "
        "explicitly if this is intended."
    )


def standardize_images(images, data_range="auto", what="images"):
    """Checks images and maps them to float32 `(N, H, W, C)` in [0, 1].

    Accepts `(N, H, W)`, `(N, H, W, C)` and `(N, C, H, W)` (C = 1 or 3) of
    uint8 0..255, or floats in [0, 1], [-1, 1] or [0, 255]. With
    `data_range="auto"` the range is read from the dtype and the values
    (uint8 -> 0..255; floats with negative values -> [-1, 1]; floats above
    1 -> 0..255; else [0, 1]).

    Args:
        images: array-like of images.
        data_range: `"auto"`, `"0,1"`, `"-1,1"`, `"0,255"` or `(low, high)`.
        what: the argument's name, used in error messages.

    Returns:
        `(images, range_name)`: float32 `(N, H, W, C)` in [0, 1], and a string
        naming the range that was used.

    Example:
        >>> x, used = standardize_images(np.zeros((2, 1, 28, 28), "uint8"))
        >>> x.shape, used
        ((2, 28, 28, 1), '0,255 (uint8)')
    """
    images = np.asarray(images)
    if images.dtype == object or not (
        np.issubdtype(images.dtype, np.number) or images.dtype == bool
    ) or np.issubdtype(images.dtype, np.complexfloating):
        raise ValueError(
            f"Expected a numeric array of {what}. Received: {what} with "
            f"dtype={images.dtype}"
        )
    if images.dtype == bool:
        images = images.astype("float32")
    images = to_nhwc(images, what)
    if images.shape[0] == 0:
        raise ValueError(f"No {what} to score. Received: {what}.shape={images.shape}")
    if images.size == 0:
        raise ValueError(f"The {what} have no pixels. Received: {what}.shape={images.shape}")
    if np.issubdtype(images.dtype, np.floating):
        finite = np.isfinite(images)
        if not finite.all():
            bad = np.argwhere(~finite.reshape(len(images), -1).all(axis=1)).ravel()
            raise ValueError(
                f"{what} contain NaN or inf values in {len(bad)} of "
                f"{len(images)} images (first bad index: {int(bad[0])}). "
                f"Received: {what}[{int(bad[0])}] with "
                f"{int((~finite[bad[0]]).sum())} non-finite pixels"
            )
    rng = parse_range(data_range)
    if rng == "auto":
        rng, used = detect_range(images, what)
    else:
        used = f"{rng[0]:g},{rng[1]:g}"
        lo, hi = float(images.min()), float(images.max())
        span = rng[1] - rng[0]
        if lo < rng[0] - 0.05 * span or hi > rng[1] + 0.05 * span:
            raise ValueError(
                f"{what} fall outside data_range={data_range!r}. Received: "
                f"{what} with min={lo:g}, max={hi:g}"
            )
    low, high = rng
    out = (images.astype("float32") - low) / (high - low)
    return np.clip(out, 0.0, 1.0), used
