"""The demo company generator: a synthetic B2B2C platform's exports plus the truth about them.

`generate(scale, out, seed)` writes every source in seeds/README.md's layout and a
`truth.json` of the facts it planted; see README.md in this folder.
"""

from productops.demo.generator import GENERATOR_VERSION, generate
from productops.demo.scale import SCALES, Scale, get_scale

__all__ = ["GENERATOR_VERSION", "SCALES", "Scale", "generate", "get_scale"]
