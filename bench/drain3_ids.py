"""Drain3 side of bench/synth.mjs: the cluster id Drain3 gives each line, for grouping accuracy.

    python drain3_ids.py IN.json OUT.json

IN.json is {"name": [line, ...], ...}; each name is mined by a fresh TemplateMiner with Drain3's
defaults and the masking instructions of its example drain3.ini (as bench/drain3_runner.py --mask).
OUT.json is {"name": [cluster_id, ...], ...}. Drain3 never merges clusters, so the id a line gets
when it is added is its final group.
"""
import json
import sys

from drain3 import TemplateMiner
from drain3.masking import MaskingInstruction
from drain3.template_miner_config import TemplateMinerConfig

MASKS = [
    (r"((?<=[^A-Za-z0-9])|^)(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))((?=[^A-Za-z0-9])|$)", "ID"),
    (r"((?<=[^A-Za-z0-9])|^)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})((?=[^A-Za-z0-9])|$)", "IP"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9a-f]{6,} ?){3,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9A-F]{4} ?){4,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)(0x[a-f0-9A-F]+)((?=[^A-Za-z0-9])|$)", "HEX"),
    (r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", "NUM"),
]


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        sets = json.load(f)
    out = {}
    for name, lines in sets.items():
        cfg = TemplateMinerConfig()
        cfg.profiling_enabled = False
        cfg.masking_instructions = [MaskingInstruction(p, m) for p, m in MASKS]
        miner = TemplateMiner(config=cfg)
        out[name] = [miner.add_log_message(line)["cluster_id"] for line in lines]
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
