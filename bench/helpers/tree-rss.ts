import { readdirSync, readFileSync } from 'node:fs';

const read = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // the process (or thread) ended meanwhile
  }
};

/**
 * Sum of VmRSS over `pid` and its descendants, and by process name, found through
 * /proc/<pid>/task/<tid>/children. Cheap on purpose — the samplers call it every 50 ms while the
 * measured work runs, on the same two cores: scanning all of /proc with promise-based reads
 * cost ~0.5 s of CPU per second (a quarter of the machine, taken from the render being
 * measured); these synchronous reads of the tree's own files cost a few ms per second.
 */
export function treeRss(pid: number): { total: number; byName: Map<string, number> } {
  let total = 0;
  const byName = new Map<string, number>();
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    const status = read(`/proc/${p}/status`);
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    if (m) {
      const bytes = Number(m[1]) * 1024;
      const name = /Name:\s+(\S+)/.exec(status)?.[1] ?? '?';
      total += bytes;
      byName.set(name, (byName.get(name) ?? 0) + bytes);
    }
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      tasks = [];
    }
    for (const tid of tasks) for (const k of read(`/proc/${p}/task/${tid}/children`).split(' ')) if (k) stack.push(Number(k));
  }
  return { total, byName };
}
