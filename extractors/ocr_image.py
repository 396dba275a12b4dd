"""A scanned page made ready for recognition: grey, stamps gone, light even, upright and straight.

Offices publish colour scans with a red seal over the signature (and often over the last rows of a
table), on tinted paper lit unevenly, a little turned, sometimes a quarter or half turn, saved as
JPEG. Each step here undoes one of those and keeps the page's size in pixels per point: red ink
is replaced by the paper around it, the background is divided out, the page is turned upright
(Tesseract's orientation detector on a reduced copy) and straightened by the angle that makes its
text lines sharpest in a row projection (which needs no ruling lines).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Settings of the preparation, named once.
RED_MARGIN = 25  # red channel above the mean of green and blue by this much: stamp ink, not text
SEAL_KEEP = 0.7  # a stamp pixel this close to the paper in red is paper; darker is a stroke under it
RED_MIN = 110  # ... and bright enough in red (black text under a seal stays dark in every channel)
BACKGROUND_WINDOW_PT = 18  # paper estimated over ~1.5 text lines; letters are thinner than that
MAX_SKEW = 2.5  # degrees searched for a page's slant
SKEW_STEP = 0.1
MIN_SKEW = 0.15  # a straight page measures within a step of 0; turning it would only blur it
SKEW_WIDTH = 500  # pixels of the reduced copy the slant is searched on
OSD_SCALE = 200 / 72  # pixels per point the orientation is read at
OSD_WINDOW = 450  # pixels (at OSD_SCALE) of the square the orientation is read in
OSD_TRIES = 3  # windows tried before the page is taken as upright
OSD_MIN_CONFIDENCE = 2.0  # Tesseract's orientation confidence below which the page is left as it is


@dataclass
class Prepared:
    gray: np.ndarray
    rotation: int = 0  # clockwise turn the page had, undone (0, 90, 180, 270)
    skew: float = 0.0  # degrees of slant undone
    red_share: float = 0.0  # share of the page's pixels taken for stamp ink


def remove_red(rgb: np.ndarray) -> tuple[np.ndarray, float]:
    """Grey page with red (seal, stamp, red signature) ink turned into paper; the share of pixels taken."""
    import cv2
    r, g, b = cv2.split(np.ascontiguousarray(rgb))
    gb = cv2.addWeighted(g, 0.5, b, 0.5, 0)
    bright_red = r > RED_MIN
    red = (cv2.subtract(r, gb) > RED_MARGIN) & bright_red
    # the rims of stamp strokes are blurred into the paper (less red) by the scanner and JPEG: take
    # their neighbours too, as long as they are bright in red (a black letter under the seal is not)
    red = cv2.dilate(red.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool) & bright_red
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    share = float(np.count_nonzero(red)) / red.size
    if share == 0:
        return gray, 0.0
    # In the red channel the seal is near the paper and a black stroke crossing it stays dark: the
    # masked pixels take their red value (in the grey page's scale); what is then nearly paper
    # becomes paper, so the seal goes and the strokes and rules under it stay.
    sample = (slice(None, None, 7), slice(None, None, 7))
    paper_gray = float(np.percentile(gray[sample], 90))
    paper_red = max(float(np.percentile(r[sample], 90)), 1.0)
    value = r[red].astype(np.float32) * (paper_gray / paper_red)
    value[value > SEAL_KEEP * paper_gray] = paper_gray
    gray[red] = np.clip(value, 0, 255).astype(np.uint8)
    return gray, share


def even_light(gray: np.ndarray, scale: float) -> np.ndarray:
    """Paper to white across the page: divide by the background (the page with its letters closed)."""
    import cv2
    k = max(15, int(BACKGROUND_WINDOW_PT * scale) | 1)
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    kk = max(5, (k // 4) | 1)
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (kk, kk)))
    background = cv2.GaussianBlur(background, (kk, kk), 0)
    background = cv2.resize(background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    out = gray.astype(np.float32) * 255.0 / np.maximum(background.astype(np.float32), 1.0)
    return np.clip(out, 0, 255).astype(np.uint8)


def _turn(gray: np.ndarray, degrees: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(gray, k=-(degrees // 90))) if degrees % 360 else gray


def _windows(gray: np.ndarray, size: int) -> list[np.ndarray]:
    """Square pieces of the page along its middle column and row, the inkiest first."""
    h, w = gray.shape
    size = min(size, h, w)
    spots = [(y, w // 2) for y in (h // 4, h // 2, 3 * h // 4)] + [(h // 2, x) for x in (w // 4, 3 * w // 4)]
    pieces = []
    for y, x in spots:
        y0, x0 = max(0, min(h - size, y - size // 2)), max(0, min(w - size, x - size // 2))
        piece = gray[y0:y0 + size, x0:x0 + size]
        pieces.append((int(np.count_nonzero(piece < 128)), piece))
    return [p for _n, p in sorted(pieces, key=lambda t: -t[0])]


def orientation(gray: np.ndarray, scale: float) -> int:
    """Clockwise quarter turn the page has (undone by turning it back); 0 when unsure or no detector."""
    import cv2
    try:
        from .ocr import osd_engine
        api = osd_engine()
    except Exception:  # no osd model: pages are taken as they come
        return 0
    from PIL import Image
    # measured: the detector is reliable on the grey page at 200 dpi, unreliable at 100 dpi, and its
    # time grows with the letters it sees: a window of ~10 lines is enough and takes ~0.2 s
    f = min(1.0, OSD_SCALE / scale)
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
    for piece in _windows(small, OSD_WINDOW)[:OSD_TRIES]:
        api.SetImage(Image.fromarray(np.ascontiguousarray(piece)))
        try:
            found = api.DetectOrientationScript()
        except RuntimeError:  # too little text in this window
            continue
        if found and found.get("orient_conf", 0) >= OSD_MIN_CONFIDENCE:
            return int(found["orient_deg"]) % 360
    return 0


def skew_angle(gray: np.ndarray) -> float:
    """Degrees (counter-clockwise positive, as cv2) that straighten the page's text lines."""
    import cv2
    f = min(1.0, SKEW_WIDTH / gray.shape[1])
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    if np.count_nonzero(ink) < 200:
        return 0.0
    h, w = ink.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rows = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum())

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, SKEW_STEP)
    return float(max(fine, key=sharpness))


def straighten(gray: np.ndarray, angle: float) -> np.ndarray:
    import cv2
    if abs(angle) < MIN_SKEW:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def prepare(image: np.ndarray, scale: float) -> Prepared:
    """Grey, stamp-free, evenly lit, upright, straight page from a grey or RGB scan (`scale` pixels per point)."""
    if image.ndim == 3:
        gray, red = remove_red(image[..., :3])
    else:
        gray, red = image, 0.0
    gray = even_light(gray, scale)
    turn = orientation(gray, scale)
    gray = _turn(gray, (360 - turn) % 360)  # the detector names the turn the page has
    # one turn only (each resampling blurs the dots of ệ, ộ): the slope of the page's long rules
    # where it has them (what the grid reader measures too), else the sharpest row projection
    from .ocr import skew_of
    angle = skew_of(gray) or skew_angle(gray)
    return Prepared(straighten(gray, angle), turn, angle, red)
