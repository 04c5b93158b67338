#!/usr/bin/env python3
# Checks on a node (or any Linux host) that Chromium starts as a non-root user with its
# sandbox ON under deploy/docker/chromium-seccomp.json: the profile is loaded with
# libseccomp exactly as the container runtime would, then Chromium renders a page.
# Needs root (to drop to the given uid) and Debian's python3-seccomp and chromium.
#
#   sudo /usr/bin/python3 deploy/docker/verify-seccomp.py [profile.json] [uid]
#
# Prints "sandbox-ok" and exits 0 when Chromium rendered the page; Chromium's own
# "No usable sandbox!" otherwise (e.g. when user namespaces are disabled on the host).
import json
import os
import subprocess
import sys
import tempfile

import seccomp

here = os.path.dirname(os.path.abspath(__file__))
profile_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "chromium-seccomp.json")
uid = int(sys.argv[2]) if len(sys.argv) > 2 else 65534
profile = json.load(open(profile_path))
home = tempfile.mkdtemp(prefix="chromium-seccomp-")
os.chown(home, uid, uid)


def confine():
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    ops = {"SCMP_CMP_EQ": seccomp.EQ, "SCMP_CMP_NE": seccomp.NE, "SCMP_CMP_MASKED_EQ": seccomp.MASKED_EQ}
    filt = seccomp.SyscallFilter(defaction=seccomp.ERRNO(profile.get("defaultErrnoRet", 1)))
    for rule in profile["syscalls"]:
        action = seccomp.ALLOW if rule["action"] == "SCMP_ACT_ALLOW" else seccomp.ERRNO(rule.get("errnoRet", 1))
        args = [seccomp.Arg(a["index"], ops[a["op"]], a["value"]) for a in rule.get("args", [])]
        for name in rule["names"]:
            try:
                filt.add_rule(action, name, *args)
            except (RuntimeError, ValueError):
                pass  # a syscall this architecture does not have
    filt.load()


result = subprocess.run(
    ["/usr/bin/chromium", "--headless", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
     f"--user-data-dir={home}/profile", "--dump-dom", "data:text/html,<p>sandbox-ok</p>"],
    preexec_fn=confine, env={"HOME": home, "PATH": "/usr/bin:/bin"},
    capture_output=True, text=True, timeout=60,
)
if "sandbox-ok" in result.stdout:
    print("sandbox-ok")
    sys.exit(0)
print(result.stderr[-2000:], file=sys.stderr)
sys.exit(1)
