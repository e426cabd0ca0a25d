// Which of the process's memory mappings may have their resident pages dropped once start-up is
// over, read from Linux's /proc/self/smaps. Pure: the caller (memory.ts) does the dropping.
//
// Start-up runs code that never runs again (module loading, bytecode decoding, migrations,
// reconciliation, loading the libSQL addon), and the pages of the executable and libraries it
// touched stay mapped, counted in the resident size, for the life of the process. Dropping a
// mapping's pages with madvise(MADV_DONTNEED) is lossless exactly when every page of it still
// holds the file's own bytes: the next touch maps the same bytes again from the page cache (or
// the file). That holds for a private mapping that is not writable and has no anonymous page
// (a page copied on write, such as the dynamic loader's relocations, makes it "Anonymous: > 0").
// Only the executable and the shared objects it loaded are chosen: they stay mapped until the
// process exits, so the address range cannot be reused by another mapping in between.

/** One mapping of /proc/<pid>/smaps. */
export interface Mapping {
  start: number;
  end: number;
  /** e.g. "r-xp": read, write, execute, private (p) or shared (s). */
  perms: string;
  /** The mapped file's path, or "" / "[heap]" / "[stack]" ... */
  path: string;
  rssKb: number;
  anonymousKb: number;
}

const HEADER = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \d+\s*(.*)$/;

/** The mappings of an smaps text; a mapping whose Rss or Anonymous line is missing counts them as unknown (-1). */
export function parseSmaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  let cur: Mapping | undefined;
  for (const line of text.split("\n")) {
    const h = HEADER.exec(line);
    if (h) {
      cur = { start: parseInt(h[1]!, 16), end: parseInt(h[2]!, 16), perms: h[3]!, path: h[4]!, rssKb: -1, anonymousKb: -1 };
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    const field = /^(Rss|Anonymous):\s+(\d+) kB/.exec(line);
    if (field) {
      if (field[1] === "Rss") cur.rssKb = Number(field[2]);
      else cur.anonymousKb = Number(field[2]);
    }
  }
  return out;
}

/** A shared object: libc.so.6, libsql's index.node, ld-musl-x86_64.so.1 ... */
const SHARED_OBJECT = /\.(so(\.\d+)*|node)$/;

/**
 * The mappings whose resident pages can be dropped losslessly (see the top of this file): of the
 * executable (`exe`, its path as the kernel reports it) or of a shared object, private, not
 * writable, with no anonymous page, and with something resident.
 */
export function droppableMappings(maps: readonly Mapping[], exe: string): Mapping[] {
  return maps.filter((m) =>
    (m.path === exe || (m.path.startsWith("/") && SHARED_OBJECT.test(m.path))) &&
    m.perms[1] === "-" && m.perms[3] === "p" &&
    m.anonymousKb === 0 && m.rssKb > 0 && m.end > m.start
  );
}

/** The C library's path among the mappings (glibc's libc.so.6, or musl's loader, which is its libc). */
export function libcPath(maps: readonly Mapping[]): string | undefined {
  return maps.find((m) => /\/(libc\.so\.\d+|libc\.musl-[^/]+\.so\.\d+|ld-musl-[^/]+\.so\.\d+)$/.test(m.path))?.path;
}
