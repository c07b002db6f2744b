"""Runs a command on a pseudo-terminal (its stdin, stdout and controlling terminal) with stderr sent to
/dev/null, answers the first "[y/N]" prompt, and prints JSON: what the terminal showed before the prompt,
after it, and the exit status. Used by the prompt tests: Node has no pty of its own.
Usage: python3 terminal.py ANSWER TIMEOUT_S CMD ARGS..."""
import json, os, pty, select, sys, time

answer, timeout, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
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
