"""Writes the sample media the official client suites fetch, deterministically.

Run by `run` with the Python of a virtualenv that has Pillow:

    python media.py OUT_DIR

Every image is drawn from its file name alone (colours, shapes), so a name gives the same
pixels on every run. The suites name their samples by what they show (a train, a dog, a
wedding); these pictures show none of that, so tests asserting the real General model's
vocabulary cannot pass on them, as on no offline server. Videos are not encodable here
without a codec: each `.mp4` is a short ISO-BMFF header (an `ftyp` box and an empty `mdat`),
a file of the right name and type that no server can decode. Animated GIFs are real.
"""

import hashlib
import os
import struct
import sys

from PIL import Image, ImageDraw

# name -> (width, height)
IMAGES = {
    "metro-north.jpg": (320, 240),
    "wedding.jpg": (240, 320),
    "facebook.png": (160, 160),
    "dog.tiff": (200, 150),
    "dog2.jpeg": (300, 200),
    "penguin.bmp": (180, 240),
    "toddler-flowers.jpeg": (320, 213),
    "travel.jpg": (320, 200),
    "red-truck.png": (256, 192),
    "tahoe.jpg": (320, 180),
    "thai-market.jpg": (280, 210),
}
ANIMATED_GIFS = {
    "3o6gb3kkXfLvdKEZs4.gif": (120, 90, 6),
    "D7qTae7IQLKSI.gif": (64, 48, 4),
}
VIDEOS = ["beer.mp4", "small.mp4", "toy.mp4"]

FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".tiff": "TIFF", ".bmp": "BMP",
           ".gif": "GIF"}


def palette(name, n):
    """n RGB colours derived from the name."""
    digest = hashlib.sha256(name.encode()).digest()
    while len(digest) < 3 * n:
        digest += hashlib.sha256(digest).digest()
    return [tuple(digest[3 * i:3 * i + 3]) for i in range(n)]


def draw(name, width, height, frame=0):
    colours = palette(name, 8)
    img = Image.new("RGB", (width, height), colours[0])
    d = ImageDraw.Draw(img)
    # A vertical gradient from colour 0 to colour 1 in the top half.
    for y in range(height // 2):
        t = y / max(1, height // 2 - 1)
        c = tuple(int(a + (b - a) * t) for a, b in zip(colours[0], colours[1]))
        d.line([(0, y), (width, y)], fill=c)
    # Some shapes, shifted by the frame number for animations.
    shift = frame * max(1, width // 16)
    d.rectangle([width // 8 + shift, height // 2, width // 2 + shift, height - height // 8],
                fill=colours[2])
    d.ellipse([width // 2, height // 8, width - width // 8, height // 2], fill=colours[3])
    d.polygon([(0, height), (width // 3, height // 2), (2 * width // 3, height)], fill=colours[4])
    for i in range(0, width, max(4, width // 20)):
        d.line([(i, height - 4), (i + 2, height - 1)], fill=colours[5 + i % 3], width=1)
    return img


def mp4(name):
    """A minimal ISO-BMFF file: ftyp (isom) and an mdat holding a few bytes of the name."""
    ftyp_payload = b"isom" + struct.pack(">I", 0x200) + b"isomiso2mp41"
    ftyp = struct.pack(">I", 8 + len(ftyp_payload)) + b"ftyp" + ftyp_payload
    data = hashlib.sha256(name.encode()).digest()
    mdat = struct.pack(">I", 8 + len(data)) + b"mdat" + data
    return ftyp + mdat


def main(out):
    os.makedirs(out, exist_ok=True)
    for name, (w, h) in IMAGES.items():
        fmt = FORMATS[os.path.splitext(name)[1]]
        img = draw(name, w, h)
        kwargs = {"quality": 90} if fmt == "JPEG" else {}
        img.save(os.path.join(out, name), fmt, **kwargs)
    for name, (w, h, n) in ANIMATED_GIFS.items():
        frames = [draw(name, w, h, i).convert("P", palette=Image.ADAPTIVE) for i in range(n)]
        frames[0].save(os.path.join(out, name), "GIF", save_all=True, append_images=frames[1:],
                       duration=100, loop=0)
    for name in VIDEOS:
        with open(os.path.join(out, name), "wb") as f:
            f.write(mp4(name))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: media.py OUT_DIR")
    main(sys.argv[1])
