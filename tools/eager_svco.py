#!/usr/bin/env python3
"""Eager PyTorch baseline for `vco bench train`: the same S-VCO LoRA step on the same checkpoint and tuples.

An independent implementation (plain tensors, no vco code): a LLaVA-1.5-shaped checkpoint in safetensors (CLIP vision
tower, two-layer projector, Llama decoder; transformers' key layout), LoRA on the decoder's seven projections (r 16,
alpha 32, as vco's defaults; dropout 0, as `vco bench train` measures), the reference being the base with the adapters
off, recomputed every step.
Two schemes, both with a live reference and no prefix sharing:

  one sample at a time  each of a sample's six requests (y and y' under m, m' and no image) its own sequence, six
                        policy and six reference passes; gradients accumulate over the batch, one optimizer step
  batched               the 6 x B requests of a batch right-padded into one policy and one reference forward
                        (the papers' code's scheme)

Then it runs `vco bench train` on the same checkpoint, tuples, batch size and steps and prints vco's schemes as ratios
to the faster eager one. Needs Debian's PyTorch and Pillow: apt-get install python3-torch python3-pil.

  python3 tools/eager_svco.py --model DIR --data tuples.jsonl --batch-size 4 --steps 2 --warmup-steps 1
"""
import argparse
import json
import math
import os
import re
import resource
import struct
import subprocess
import sys
import time

# The same allocator as vco's launcher: an installed jemalloc, told never to return freed pages, preloaded by starting
# this script again with it (glibc's malloc hands large freed blocks back to the system and the next step faults them in
# again, zeroed). VCO_MALLOC=system keeps glibc's.
JEMALLOC = ("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2", "/usr/lib64/libjemalloc.so.2")
if os.environ.get("VCO_MALLOC") != "system" and "libjemalloc" not in os.environ.get("LD_PRELOAD", ""):
    _jemalloc = next((p for p in JEMALLOC if os.path.isfile(p)), None)
    if _jemalloc:
        os.environ["LD_PRELOAD"] = _jemalloc + (":" + os.environ["LD_PRELOAD"] if os.environ.get("LD_PRELOAD") else "")
        os.environ.setdefault("MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1")
        os.execv(sys.executable, [sys.executable] + sys.argv)
ALLOCATOR = f"jemalloc (MALLOC_CONF={os.environ.get('MALLOC_CONF', '')})" if "libjemalloc" in os.environ.get("LD_PRELOAD", "") else "glibc malloc"

# The same OpenBLAS as vco's (tensor.NativeThreads), chosen the same way and for the same reason: PyTorch parallelises
# with OpenMP, and a pthreads OpenBLAS's own pool inside every matrix product fights it for the cores. An OpenMP build of
# OpenBLAS runs on PyTorch's pool instead; loaded globally before torch, torch's products bind to it. Without one,
# OpenBLAS runs on one thread. Measured on 2 cores, small model, batch 4 (one sample at a time): 0.347 samples/s on the
# OpenMP build, 0.275 with the pthreads build on one thread, 0.132 with both pools on two, 0.238 with OpenMP on one
# (OMP_NUM_THREADS=1). Must happen before torch loads OpenBLAS.
OPENMP_OPENBLAS = ("/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0",
                   "/usr/lib/aarch64-linux-gnu/openblas-openmp/libopenblas.so.0", "/usr/lib64/libopenblaso.so.0")
_choice = os.environ.get("VCO_OPENBLAS", "")
_openmp = None if _choice == "bundled" else _choice or next((p for p in OPENMP_OPENBLAS if os.path.isfile(p)), None)
if _openmp:
    import ctypes
    ctypes.CDLL(_openmp, mode=ctypes.RTLD_GLOBAL)
    OPENBLAS = f"OpenBLAS {os.path.realpath(_openmp)} (OpenMP build)"
else:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    OPENBLAS = f"the system's OpenBLAS, {os.environ['OPENBLAS_NUM_THREADS']} thread(s) of its own"

import torch  # noqa: E402 (after the thread setting above)
import torch.nn.functional as F
from PIL import Image

LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


def load_safetensors(path):
    with open(path, "rb") as f:
        header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
        data = bytearray(f.read())
    dtypes = {"F32": (torch.float32, 4), "BF16": (torch.bfloat16, 2), "F16": (torch.float16, 2)}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype, size = dtypes[info["dtype"]]
        tensors[name] = torch.frombuffer(data, dtype=dtype, count=(end - start) // size, offset=start).reshape(info["shape"]).float()
    return tensors


class WordLevelTokenizer:
    """tokenizer.json of the WordLevel kind with a Lowercase normalizer and the Whitespace pre-tokenizer."""

    def __init__(self, folder):
        spec = json.load(open(os.path.join(folder, "tokenizer.json")))
        if spec["model"]["type"] != "WordLevel":
            raise SystemExit(f"{folder}/tokenizer.json: model type {spec['model']['type']}; this baseline reads WordLevel only")
        self.vocab = spec["model"]["vocab"]
        self.unk = self.vocab[spec["model"]["unk_token"]]
        self.special = {t["content"]: t["id"] for t in spec["added_tokens"]}
        self.split = re.compile("(" + "|".join(re.escape(s) for s in self.special) + ")")

    def encode(self, text):
        ids = []
        for piece in self.split.split(text):
            if piece in self.special:
                ids.append(self.special[piece])
            else:
                ids += [self.vocab.get(w, self.unk) for w in re.findall(r"\w+|[^\w\s]+", piece.lower())]
        return ids


def clip_pixels(path, size, mean, std):
    image = Image.open(path).convert("RGB")
    w, h = image.size
    scale = size / min(w, h)
    image = image.resize((max(size, round(w * scale)), max(size, round(h * scale))), Image.BICUBIC)
    left, top = (image.size[0] - size) // 2, (image.size[1] - size) // 2
    image = image.crop((left, top, left + size, top + size))
    x = torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8).reshape(size, size, 3).permute(2, 0, 1).float() / 255.0
    return (x - torch.tensor(mean).view(3, 1, 1)) / torch.tensor(std).view(3, 1, 1)


class Llava:
    def __init__(self, folder, seed):
        self.cfg = json.load(open(os.path.join(folder, "config.json")))
        self.w = load_safetensors(os.path.join(folder, "model.safetensors"))
        if not any(k.startswith("model.language_model.") for k in self.w):
            raise SystemExit(f"{folder}: expected transformers' key layout (model.language_model.*)")
        text, vision = self.cfg["text_config"], self.cfg["vision_config"]
        self.heads, self.kv_heads = text["num_attention_heads"], text.get("num_key_value_heads", text["num_attention_heads"])
        self.layers, self.eps, self.theta = text["num_hidden_layers"], text["rms_norm_eps"], text.get("rope_theta", 10000.0)
        self.v_heads, self.v_layers, self.v_eps = vision["num_attention_heads"], vision["num_hidden_layers"], vision["layer_norm_eps"]
        self.feature_layer = self.cfg.get("vision_feature_layer", -2)
        self.image_token = self.cfg["image_token_index"]
        generator = torch.Generator().manual_seed(seed)
        self.lora = {}
        for i in range(self.layers):
            for name in LORA_TARGETS:
                group = "self_attn" if name.endswith(("q_proj", "k_proj", "v_proj", "o_proj")) else "mlp"
                key = f"model.language_model.layers.{i}.{group}.{name}"
                out_f, in_f = self.w[key + ".weight"].shape
                a = torch.empty(16, in_f)
                bound = 1 / math.sqrt(in_f)  # kaiming_uniform_(a=sqrt(5)), as PEFT initialises lora_A
                a.uniform_(-bound, bound, generator=generator)
                self.lora[key] = (a.requires_grad_(), torch.zeros(out_f, 16, requires_grad=True))
        self.lora_on = True
        self.dropout = 0.0  # vco bench train sets lora_dropout 0

    def parameters(self):
        return [t for pair in self.lora.values() for t in pair]

    def linear(self, x, key, bias=True):
        y = F.linear(x, self.w[key + ".weight"], self.w.get(key + ".bias") if bias else None)
        if self.lora_on and key in self.lora:
            a, b = self.lora[key]
            y = y + F.linear(F.linear(F.dropout(x, self.dropout, self.training), a), b) * 2.0  # alpha / r = 32 / 16
        return y

    def image_features(self, pixels):
        p = "model.vision_tower.vision_model."
        x = F.conv2d(pixels, self.w[p + "embeddings.patch_embedding.weight"], stride=self.cfg["vision_config"]["patch_size"])
        x = x.flatten(2).transpose(1, 2)
        cls = self.w[p + "embeddings.class_embedding"].expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], 1) + self.w[p + "embeddings.position_embedding.weight"]
        d = x.shape[-1]
        x = F.layer_norm(x, (d,), self.w[p + "pre_layrnorm.weight"], self.w[p + "pre_layrnorm.bias"], self.v_eps)
        hidden_states = [x]
        for i in range(self.v_layers + 1 + self.feature_layer if self.feature_layer < 0 else self.feature_layer):
            q = f"{p}encoder.layers.{i}."
            h = F.layer_norm(x, (d,), self.w[q + "layer_norm1.weight"], self.w[q + "layer_norm1.bias"], self.v_eps)
            x = x + self.linear(self.attend(self.linear(h, q + "self_attn.q_proj"), self.linear(h, q + "self_attn.k_proj"),
                                            self.linear(h, q + "self_attn.v_proj"), self.v_heads, self.v_heads, None),
                                q + "self_attn.out_proj")
            h = F.layer_norm(x, (d,), self.w[q + "layer_norm2.weight"], self.w[q + "layer_norm2.bias"], self.v_eps)
            h = self.linear(h, q + "mlp.fc1")
            x = x + self.linear(h * torch.sigmoid(1.702 * h), q + "mlp.fc2")
            hidden_states.append(x)
        features = hidden_states[-1][:, 1:]  # vision_feature_select_strategy "default": drop the class token
        m = "model.multi_modal_projector."
        return self.linear(F.gelu(self.linear(features, m + "linear_1")), m + "linear_2")

    @staticmethod
    def attend(q, k, v, heads, kv_heads, mask, cos=None, sin=None):
        b, t, _ = q.shape
        q = q.view(b, t, heads, -1).transpose(1, 2)
        k = k.view(b, t, kv_heads, -1).transpose(1, 2)
        v = v.view(b, t, kv_heads, -1).transpose(1, 2)
        if cos is not None:
            q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        if heads != kv_heads:
            k, v = k.repeat_interleave(heads // kv_heads, 1), v.repeat_interleave(heads // kv_heads, 1)
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
        if mask is not None:
            scores = scores + mask
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, -1)

    def decoder_logps(self, embeds, lengths, targets):
        """Summed log-probabilities of each row's targets (list of (positions, ids)); rows right-padded to one length."""
        b, t, d = embeds.shape
        p = "model.language_model."
        half = d // self.heads // 2
        inv = 1.0 / (self.theta ** (torch.arange(half, dtype=torch.float32) / half))
        angles = torch.arange(t, dtype=torch.float32)[:, None] * inv[None]
        cos, sin = torch.cat([angles.cos()] * 2, -1), torch.cat([angles.sin()] * 2, -1)
        valid = torch.arange(t)[None] < torch.tensor(lengths)[:, None]
        allowed = torch.ones(t, t, dtype=torch.bool).tril()[None] & valid[:, None, :]
        mask = torch.zeros(b, 1, t, t).masked_fill(~allowed[:, None], torch.finfo(torch.float32).min)
        x = embeds
        for i in range(self.layers):
            q = f"{p}layers.{i}."
            h = rms_norm(x, self.w[q + "input_layernorm.weight"], self.eps)
            x = x + self.linear(self.attend(self.linear(h, q + "self_attn.q_proj", False), self.linear(h, q + "self_attn.k_proj", False),
                                            self.linear(h, q + "self_attn.v_proj", False), self.heads, self.kv_heads, mask, cos, sin),
                                q + "self_attn.o_proj", False)
            h = rms_norm(x, self.w[q + "post_attention_layernorm.weight"], self.eps)
            x = x + self.linear(F.silu(self.linear(h, q + "mlp.gate_proj", False)) * self.linear(h, q + "mlp.up_proj", False),
                                q + "mlp.down_proj", False)
        logps = F.log_softmax(F.linear(rms_norm(x, self.w[p + "norm.weight"], self.eps), self.w["lm_head.weight"]), -1)
        return torch.stack([logps[r, pos, ids].sum() for r, (pos, ids) in enumerate(targets)])

    def score(self, requests, images):
        """requests: (prompt ids, image index or None, response ids) -> summed response log-probs, one padded forward."""
        pixels = [images[i] for _, i, _ in requests if i is not None]
        with torch.no_grad():  # the tower and projector are frozen: only the decoder's adapters train
            features = self.image_features(torch.stack(pixels)) if pixels else None
        rows, lengths, targets = [], [], []
        n_image = 0
        embed = self.w["model.language_model.embed_tokens.weight"]
        for prompt, image, response in requests:
            ids = prompt + response[:-1]
            x = embed[torch.tensor(ids)]
            if image is not None:
                slots = (torch.tensor(ids) == self.image_token).nonzero().squeeze(1)
                x = x.index_put((slots,), features[n_image, : len(slots)])
                n_image += 1
            rows.append(x)
            lengths.append(len(ids))
            targets.append((torch.arange(len(prompt) - 1, len(ids)), torch.tensor(response)))
        width = max(lengths)
        embeds = torch.stack([F.pad(x, (0, 0, 0, width - x.shape[0])) for x in rows])
        return self.decoder_logps(embeds, lengths, targets)


def rotate_half(x):
    a, b = x.chunk(2, -1)
    return torch.cat([-b, a], -1)


def rms_norm(x, weight, eps):
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def read_tuples(path, tokenizer, image_tokens, preprocessor):
    folder = os.path.dirname(os.path.abspath(path))
    images, samples = {}, []
    for number, line in enumerate(open(path), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if len(row.get("images", [])) != 2 or len(row.get("responses", [])) != 2:
            raise SystemExit(f"{path}:{number}: an S-VCO tuple needs two images and two responses")
        index = []
        for name in row["images"]:
            if name not in images:
                images[name] = clip_pixels(os.path.join(folder, name), preprocessor["crop_size"]["height"],
                                           preprocessor["image_mean"], preprocessor["image_std"])
            index.append(list(images).index(name))
        prompt = row["prompt"].replace("<image>", "").strip()
        with_image = [1] + tokenizer.encode(f"USER: <image>\n{prompt} ASSISTANT:")
        at = with_image.index(tokenizer.special["<image>"])
        with_image = with_image[:at] + [with_image[at]] * image_tokens + with_image[at + 1:]
        no_image = [1] + tokenizer.encode(f"USER: {prompt} ASSISTANT:")
        y, y_prime = (tokenizer.encode(r) + [tokenizer.special["</s>"]] for r in row["responses"])
        m, m_prime = index
        # S-VCO's six requests: y | m, m', none and y' | m', m, none
        samples.append([(with_image, m, y), (with_image, m_prime, y), (no_image, None, y),
                        (with_image, m_prime, y_prime), (with_image, m, y_prime), (no_image, None, y_prime)])
    return samples, torch.stack(list(images.values()))


def svco_loss(policy, reference, beta=0.1):
    rho = policy - reference  # [6]: y|m, y|m', y|none, y'|m', y'|m, y'|none
    ls = lambda z: F.softplus(-beta * z)
    return ls(rho[0] - rho[2]) + ls(rho[2] - rho[1]) + ls(rho[3] - rho[5]) + ls(rho[5] - rho[4])


def step(model, batch, images, optimizer, batched):
    model.training = True
    if batched:
        requests = [r for sample in batch for r in sample]
        policy = model.score(requests, images)
        model.lora_on, model.training = False, False
        with torch.no_grad():
            reference = model.score(requests, images)
        model.lora_on, model.training = True, True
        loss = torch.stack([svco_loss(policy[6 * i: 6 * i + 6], reference[6 * i: 6 * i + 6]) for i in range(len(batch))]).mean()
        loss.backward()
    else:
        for sample in batch:
            policy = torch.cat([model.score([r], images) for r in sample])
            model.lora_on, model.training = False, False
            with torch.no_grad():
                reference = torch.cat([model.score([r], images) for r in sample])
            model.lora_on, model.training = True, True
            (svco_loss(policy, reference) / len(batch)).backward()
    optimizer.step()
    optimizer.zero_grad()


def measure(model, samples, images, batch_size, steps, warmup, batched):
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=0.0)
    position = 0
    for s in range(warmup + steps):
        if s == warmup:
            start = time.perf_counter()
        batch = [samples[(position + i) % len(samples)] for i in range(batch_size)]
        position += batch_size
        step(model, batch, images, optimizer, batched)
    return steps * batch_size / (time.perf_counter() - start)


def vco_schemes(args):
    command = [args.vco, "bench", "train", "--objective", "s-vco", "--model", args.model, "--data", args.data,
               "--batch-size", str(args.batch_size), "--steps", str(args.steps), "--warmup-steps", str(args.warmup_steps)]
    print("$ " + " ".join(command), flush=True)
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"vco bench train failed ({out.returncode}):\n{out.stderr.strip()}")
    print(out.stdout, end="")
    schemes = {}
    for line in out.stdout.splitlines():
        match = re.match(r"^(live reference, no prefix sharing|cached reference, no prefix sharing|cached reference \+ prefix sharing)\s+([0-9.]+)", line)
        if match:
            schemes[match.group(1)] = float(match.group(2))
    return schemes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True, help="S-VCO tuples (vco world contrast)")
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--steps", type=int, default=2)
    parser.add_argument("--warmup-steps", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--vco", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vco"),
                        help="the vco launcher (default: this checkout's)")
    parser.add_argument("--eager-only", action="store_true", help="skip the vco run")
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    # PyTorch defaults to one thread per physical core, which on a 2-vCPU machine can be one; vco uses every CPU it may run on.
    if "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(len(os.sched_getaffinity(0)))
    model = Llava(args.model, args.seed)
    tokenizer = WordLevelTokenizer(args.model)
    preprocessor = json.load(open(os.path.join(args.model, "preprocessor_config.json")))
    samples, images = read_tuples(args.data, tokenizer, model.cfg["image_seq_length"], preprocessor)
    print(f"eager PyTorch {torch.__version__}, {torch.get_num_threads()} threads, {OPENBLAS}, {ALLOCATOR}: S-VCO LoRA on {args.model}, "
          f"{len(samples)} tuples, batch {args.batch_size}, {args.steps} measured steps after {args.warmup_steps}", flush=True)
    eager = {}
    for name, batched in (("one sample at a time", False), ("batched (6 x B requests padded)", True)):
        eager[name] = measure(model, samples, images, args.batch_size, args.steps, args.warmup_steps, batched)
        print(f"  eager, {name:34s} {eager[name]:8.3f} samples/s", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(f"  eager peak RSS {peak:.2f} GB", flush=True)
    if args.eager_only:
        return
    best_name = max(eager, key=eager.get)
    schemes = vco_schemes(args)
    print(f"\nvco against the faster eager scheme ({best_name}, {eager[best_name]:.3f} samples/s):")
    for name, speed in schemes.items():
        print(f"  {name:38s} {speed:8.3f} samples/s  {speed / eager[best_name]:6.2f}x")


if __name__ == "__main__":
    sys.exit(main())
