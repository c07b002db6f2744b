"""Runs a command on a pseudo-terminal (Node has no pty of its own) and prints JSON. Two modes:

  python3 terminal.py ANSWER TIMEOUT_S CMD ARGS...
      stderr goes to /dev/null; answers the first "[y/N]" prompt with ANSWER; prints what the terminal showed
      before the prompt, after it, and the exit status (the confirmation-prompt tests).

  python3 terminal.py --script STEPS_JSON TIMEOUT_S CMD ARGS...
      stdin, stdout and stderr on the terminal; plays STEPS, a JSON list of
        {"type": TEXT}    types TEXT one key at a time, each sent only once the terminal has echoed the one before
        {"key": KEY}      sends one key alone ("\\t" Tab, "\\u001b[A" Up, "\\u0003" Ctrl-C, "\\u0004" Ctrl-D, "\\r" Enter)
        {"expect": RE}    waits until RE matches what the terminal showed since the last match
      and prints {"out": the screen text (escape sequences removed), "failed": the step that timed out or null,
      "code": exit status}. Nothing is timed: every wait is for text on the screen, up to one overall deadline.
      Keys must arrive one by one: Node's readline takes a Tab that comes in the same read as other keys for pasted
      text and inserts it instead of completing, which is why typing waits for each echo."""
import json, os, pty, re, select, sys, time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def run_answer(answer, timeout, cmd):
    pid, fd = pty.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.execvp(cmd[0], cmd)
    buf, before, asked = b"", None, False
    deadline = time.time() + timeout
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.2)
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        if not asked and b"[y/N]" in buf:
            before, buf, asked = buf, b"", True
            os.write(fd, (answer + "\n").encode())
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:  # still running at the deadline: stop it, and say so
        os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
    print(json.dumps({
        "before": (before or b"").decode("utf8", "replace"),
        "after": buf.decode("utf8", "replace") if asked else "",
        "unasked": "" if asked else buf.decode("utf8", "replace"),
        "code": os.waitstatus_to_exitcode(status),
    }))


def run_script(steps, timeout, cmd):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    raw = bytearray()
    deadline = time.time() + timeout
    eof = False

    def screen():
        return ANSI.sub(b"", bytes(raw)).replace(b"\r", b"").decode("utf8", "replace")

    def pump(wait):
        nonlocal eof
        if eof:
            return False
        r, _, _ = select.select([fd], [], [], wait)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                eof = True
                return False
            raw.extend(chunk)
        return True

    def wait_for(test):
        while not test():
            if time.time() > deadline or not pump(0.1):
                return test()
        return True

    def end_of_output():
        # Where new output will start: before an escape sequence still arriving, so its tail is not read as text.
        esc = raw.rfind(b"\x1b")
        if esc >= 0 and not ANSI.match(bytes(raw), esc):
            return esc
        return len(raw)

    def since(start):
        return ANSI.sub(b"", bytes(raw[start:])).decode("utf8", "replace")

    mark, failed = 0, None
    for step in steps:
        if "type" in step:
            for ch in step["type"]:
                start = end_of_output()
                os.write(fd, ch.encode())
                if ch.isprintable() and not wait_for(lambda: ch in since(start)):
                    failed = step
                    break
        elif "key" in step:
            os.write(fd, step["key"].encode())
        elif "expect" in step:
            pattern = re.compile(step["expect"])
            if not wait_for(lambda: pattern.search(screen(), mark) is not None):
                failed = step
            else:
                mark = pattern.search(screen(), mark).end()
        if failed:
            break

    done, status = 0, 0
    if not failed:  # the script ends the program (Ctrl-D, /exit): wait for it within the deadline
        while time.time() < deadline:
            pump(0.1)  # keep draining, or a program writing its last words would block
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if eof:
                time.sleep(0.05)
    if done == 0:
        os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
        if not failed:
            failed = {"exit": "still running at the deadline"}
    print(json.dumps({"out": screen(), "failed": failed, "code": os.waitstatus_to_exitcode(status)}))


if sys.argv[1] == "--script":
    run_script(json.loads(sys.argv[2]), float(sys.argv[3]), sys.argv[4:])
else:
    run_answer(sys.argv[1], float(sys.argv[2]), sys.argv[3:])
