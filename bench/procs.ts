// Memory and CPU of a process and all its descendants (a worker is one Node process plus
// Chromium's browser, GPU, network and one renderer per page), read from /proc.
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function stat(pid: number): { ppid: number; cpuTicks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces and parentheses: fields start after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return {
      ppid: Number(fields[1]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
    };
  } catch {
    return null;
  }
}

export function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const info = stat(pid);
    if (info) parents.set(pid, info.ppid);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  }
  return tree.filter((pid) => parents.has(pid));
}

function kib(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  return match ? Number(match[1]) : 0;
}

/**
 * RSS counts pages shared between Chromium's processes once per process (an upper
 * bound); PSS splits shared pages among their users (the fair share, what the kernel
 * would free if the tree went away). Both in MiB.
 */
export function treeMemory(root: number): { rssMiB: number; pssMiB: number; processes: number } {
  let rss = 0;
  let pss = 0;
  const pids = processTree(root);
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      rss += kib(rollup, "Rss");
      pss += kib(rollup, "Pss");
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return { rssMiB: rss / 1024, pssMiB: pss / 1024, processes: pids.length };
}

/** CPU seconds used so far by each live process of the tree. */
export function treeCpu(root: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of processTree(root)) {
    const info = stat(pid);
    if (info) out.set(pid, info.cpuTicks / TICKS_PER_SECOND);
  }
  return out;
}

/** CPU seconds spent between two snapshots by processes present in both. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) {
    const start = before.get(pid);
    if (start !== undefined) total += seconds - start;
  }
  return total;
}
