"""Prints the reference values that ImageProcessorGoldenTest compares against.

Run with Pillow and numpy installed (any Python 3): python3 tools/pillow_goldens.py
The resize values come from Pillow itself; the pipeline values follow transformers'
slow CLIPImageProcessor step by step (Image.resize, center_crop slicing, rescale in
float64 then float32, normalize in float32) and LLaVA's expand2square.
"""
import numpy as np
from PIL import Image


def pixels(width, height, seed):
    """The same pseudo-random bytes as the Java test's pixels(width, height, seed)."""
    s = seed
    out = bytearray()
    for _ in range(width * height * 3):
        s = (s * 1103515245 + 12345) % (1 << 31)
        out.append((s >> 16) & 0xFF)
    return Image.frombytes("RGB", (width, height), bytes(out))


def checkerboard(width, height):
    return Image.frombytes("RGB", (width, height), bytes(
        (255 if (x + y) % 2 else 0) for y in range(height) for x in range(width) for _ in range(3)))


def show(name, values):
    print(f"{name} = \"{' '.join(str(v) for v in values)}\"")


def resize_case(name, image, size, resample):
    show(name, image.resize(size, resample=resample).tobytes())


tiny = Image.frombytes("RGB", (2, 2), bytes([0, 0, 0, 255, 128, 64, 10, 200, 30, 90, 90, 250]))
resize_case("UP_2x2_TO_4x4_BICUBIC", tiny, (4, 4), Image.BICUBIC)
resize_case("DOWN_9x7_TO_4x3_BICUBIC", pixels(9, 7, 1), (4, 3), Image.BICUBIC)
resize_case("UP_5x3_TO_8x6_BILINEAR", pixels(5, 3, 2), (8, 6), Image.BILINEAR)
resize_case("DOWN_37x23_TO_16x10_LANCZOS", pixels(37, 23, 7), (16, 10), Image.LANCZOS)
resize_case("UP_5x3_TO_12x7_LANCZOS", pixels(5, 3, 8), (12, 7), Image.LANCZOS)
resize_case("VERTICAL_7x5_TO_7x3_BICUBIC", pixels(7, 5, 3), (7, 3), Image.BICUBIC)
resize_case("HORIZONTAL_6x4_TO_13x4_BICUBIC", pixels(6, 4, 4), (13, 4), Image.BICUBIC)
resize_case("CHECKER_8x8_TO_5x5_BICUBIC", checkerboard(8, 8), (5, 5), Image.BICUBIC)
resize_case("CHECKER_3x3_TO_7x7_BICUBIC", checkerboard(3, 3), (7, 7), Image.BICUBIC)
resize_case("DOWN_37x23_TO_16x10_BICUBIC", pixels(37, 23, 5), (16, 10), Image.BICUBIC)
resize_case("DOWN_37x23_TO_11x7_BILINEAR", pixels(37, 23, 6), (11, 7), Image.BILINEAR)

MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]


def clip_preprocess(image, shortest_edge, crop, pad):
    if pad:
        bg = tuple(int(x * 255) for x in MEAN)
        w, h = image.size
        if w != h:
            side = max(w, h)
            canvas = Image.new(image.mode, (side, side), bg)
            canvas.paste(image, (0, (w - h) // 2) if w > h else ((h - w) // 2, 0))
            image = canvas
    w, h = image.size
    # get_resize_output_image_size(default_to_square=False)
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = shortest_edge, int(shortest_edge * long / short)
    oh, ow = (new_long, new_short) if w <= h else (new_short, new_long)
    arr = np.array(image.resize((ow, oh), resample=Image.BICUBIC))
    top, left = (oh - crop) // 2, (ow - crop) // 2
    arr = arr[top:top + crop, left:left + crop]
    arr = (arr.astype(np.float64) * (1 / 255)).astype(np.float32)
    arr = (arr - np.array(MEAN, dtype=np.float32)) / np.array(STD, dtype=np.float32)
    return arr.transpose(2, 0, 1).reshape(-1)


show("PIPELINE_11x7_SE5_CROP4", [repr(float(v)) for v in clip_preprocess(pixels(11, 7, 7), 5, 4, False)])
show("PIPELINE_11x7_PAD_SE6_CROP4", [repr(float(v)) for v in clip_preprocess(pixels(11, 7, 7), 6, 4, True)])
show("PIPELINE_6x13_PAD_SE5_CROP5", [repr(float(v)) for v in clip_preprocess(pixels(6, 13, 8), 5, 5, True)])
