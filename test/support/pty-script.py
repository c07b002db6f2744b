"""Drives a command on a pseudo-terminal through a script of steps and prints JSON: the transcript and the exit
status. Steps (JSON list): {"send": text} types text ("\\t" Tab, "\\u0003" Ctrl-C, "\\u0004" Ctrl-D),
{"expect": regex} waits until the output since the last expect matches. Node has no pty of its own.
Usage: python3 pty-script.py STEPS_JSON TIMEOUT_S CMD ARGS..."""
import json, os, pty, re, select, sys, time

steps, timeout, cmd = json.loads(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)

out, mark, failed = b"", 0, None
deadline = time.time() + timeout

def pump(wait):
    global out
    r, _, _ = select.select([fd], [], [], wait)
    if r:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        out += chunk
    return True

for step in steps:
    if "send" in step:
        os.write(fd, step["send"].encode())
        continue
    pattern = re.compile(step["expect"].encode())
    while not pattern.search(out, mark):
        if time.time() > deadline or not pump(0.2):
            failed = step["expect"]
            break
    if failed:
        break
    mark = pattern.search(out, mark).end()

end = time.time() + 10
while time.time() < end:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    pump(0.1)
else:
    os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
print(json.dumps({"out": out.decode("utf8", "replace"), "failed": failed, "code": os.waitstatus_to_exitcode(status)}))
