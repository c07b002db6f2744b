"""Drain3 side of bench/miner.mjs: mine one message per line of FILE, print one JSON line.

    python drain3_runner.py FILE [--mask]

--mask uses the masking instructions of Drain3's example drain3.ini (IDs, IPs, hex, numbers) so
Drain3 does comparable preprocessing work; without it Drain3 masks nothing (its default config).
Reads the file streaming, line by line. Prints {"lines","seconds","lines_per_sec","clusters",
"max_rss_kb"}; timing covers the read+mine loop only (the import and setup are excluded).
"""
import json
import resource
import sys
import time

from drain3 import TemplateMiner
from drain3.masking import MaskingInstruction
from drain3.template_miner_config import TemplateMinerConfig


def main() -> None:
    path = sys.argv[1]
    cfg = TemplateMinerConfig()
    cfg.profiling_enabled = False
    if "--mask" in sys.argv:
        # from drain3's examples/drain3.ini
        cfg.masking_instructions = [
            MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))((?=[^A-Za-z0-9])|$)", "ID"),
            MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})((?=[^A-Za-z0-9])|$)", "IP"),
            MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)([0-9a-f]{6,} ?){3,}((?=[^A-Za-z0-9])|$)", "SEQ"),
            MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)([0-9A-F]{4} ?){4,}((?=[^A-Za-z0-9])|$)", "SEQ"),
            MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)(0x[a-f0-9A-F]+)((?=[^A-Za-z0-9])|$)", "HEX"),
            MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", "NUM"),
            MaskingInstruction(r"(?<=executed cmd )(\".+?\")", "CMD"),
        ]
    miner = TemplateMiner(config=cfg)
    n = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        for line in f:
            miner.add_log_message(line.rstrip("\n"))
            n += 1
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
    out = {
        "lines": n,
        "seconds": round(dt, 3),
        "lines_per_sec": round(n / dt) if dt > 0 else None,
        "cpu_seconds": round(cpu, 3),
        "lines_per_cpu_sec": round(n / cpu) if cpu > 0 else None,
        "clusters": len(miner.drain.clusters),
        "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
