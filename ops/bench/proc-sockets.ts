import fs from 'node:fs';

/**
 * Local TCP ports by socket inode, from the text of /proc/<pid>/net/tcp or tcp6 (proc(5)): the
 * local address is `HEXIP:HEXPORT` (field 2), the inode is field 10.
 */
export function parseTcpTable(text: string): Map<number, number> {
  const ports = new Map<number, number>();
  for (const row of text.split('\n').slice(1)) {
    const fields = row.trim().split(/\s+/);
    const local = fields[1]?.split(':')[1];
    const inode = Number(fields[9]);
    if (local !== undefined && Number.isInteger(inode) && inode > 0)
      ports.set(inode, Number.parseInt(local, 16));
  }
  return ports;
}

/**
 * The local ports of the TCP sockets `pid` holds open (Linux; empty where /proc does not tell):
 * how the benchmark picks the service processes' own connections out of everything a shared
 * Cassandra node serves.
 */
export function ownedPorts(pid: number): Set<number> {
  const owned = new Set<number>();
  try {
    const byInode = new Map([
      ...parseTcpTable(readOr(`/proc/${pid}/net/tcp`)),
      ...parseTcpTable(readOr(`/proc/${pid}/net/tcp6`)),
    ]);
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
      const inode = /^socket:\[(\d+)\]$/.exec(readLinkOr(`/proc/${pid}/fd/${fd}`))?.[1];
      const port = inode === undefined ? undefined : byInode.get(Number(inode));
      if (port !== undefined) owned.add(port);
    }
  } catch {
    // the process is gone or not ours to inspect
  }
  return owned;
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function readLinkOr(file: string): string {
  try {
    return fs.readlinkSync(file);
  } catch {
    return ''; // closed between listing and reading
  }
}
