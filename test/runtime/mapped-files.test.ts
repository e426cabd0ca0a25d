import { readFileSync, readlinkSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { droppableMappings, libcPath, type Mapping, parseSmaps } from "../../src/runtime/mapped-files.ts";

// An excerpt of the binary's own smaps in paper mode (fields trimmed to those read, plus one the
// parser must skip): the executable's read-only data and code, its RELRO page (copied on write by
// the dynamic loader), its writable embedded section, the libSQL addon, libc, and anonymous memory.
const SMAPS = `00200000-01a39000 r--p 00000000 fe:00 2147230                            /opt/sekisho/sekisho
Size:              24804 kB
Rss:                8164 kB
Anonymous:             0 kB
01a40000-0684a000 r-xp 01838000 fe:00 2147230                            /opt/sekisho/sekisho
Rss:               36904 kB
Anonymous:             0 kB
0685f000-06867000 r--p 06656000 fe:00 2147230                            /opt/sekisho/sekisho
Rss:                  32 kB
Anonymous:            12 kB
06867000-0d0e0000 rw-p 0665e000 fe:00 2147230                            /opt/sekisho/sekisho
Rss:                7408 kB
Anonymous:           128 kB
7f24e1c00000-7f24e24d2000 r-xp 00000000 fe:00 2147271                    /tmp/.sekisho-libsql-f6c322c857c99e43.node
Rss:                4992 kB
Anonymous:             0 kB
7f24e24d2000-7f24e26d2000 ---p 008d2000 fe:00 2147271                    /tmp/.sekisho-libsql-f6c322c857c99e43.node
Rss:                   0 kB
Anonymous:             0 kB
7f24e26d2000-7f24e2739000 r--p 008d2000 fe:00 2147271                    /tmp/.sekisho-libsql-f6c322c857c99e43.node
Rss:                 412 kB
Anonymous:           412 kB
7febe1f10000-7febe2066000 r-xp 00028000 fe:00 1234                       /usr/lib/x86_64-linux-gnu/libc.so.6
Rss:                1344 kB
Anonymous:             0 kB
7feb00000000-7feb40000000 rw-p 00000000 00:00 0
Rss:               20440 kB
Anonymous:         20440 kB
7feba1ba5000-7febe1ba5000 r--p 00000000 00:00 0
Rss:                   4 kB
Anonymous:             0 kB
7f0000000000-7f0000100000 r--s 00000000 fe:00 99                         /tmp/j/orders.db-shm
Rss:                  32 kB
Anonymous:             0 kB
7ffd1f1ae000-7ffd1f1cf000 rw-p 00000000 00:00 0                          [stack]
Rss:                  52 kB
Anonymous:            52 kB
`;

describe("parseSmaps", () => {
  it("reads each mapping's range, permissions, path, resident and anonymous size", () => {
    const maps = parseSmaps(SMAPS);
    expect(maps).toHaveLength(12);
    expect(maps[1]).toEqual({ start: 0x01a40000, end: 0x0684a000, perms: "r-xp", path: "/opt/sekisho/sekisho", rssKb: 36904, anonymousKb: 0 });
    expect(maps[8]).toMatchObject({ path: "", rssKb: 20440, anonymousKb: 20440 });
    expect(maps[11]).toMatchObject({ path: "[stack]", perms: "rw-p" });
  });

  it("leaves a size it did not find unknown (-1), which no rule treats as zero", () => {
    const [m] = parseSmaps("00400000-00401000 r-xp 00000000 fe:00 1 /bin/x\nRss: 4 kB\n");
    expect(m!.anonymousKb).toBe(-1);
    expect(droppableMappings([m!], "/bin/x")).toEqual([]);
  });
});

describe("droppableMappings", () => {
  it("chooses the executable's and the libraries' read-only pages that are all the file's own", () => {
    const chosen = droppableMappings(parseSmaps(SMAPS), "/opt/sekisho/sekisho");
    expect(chosen.map((m) => `${m.perms} ${m.path}`)).toEqual([
      "r--p /opt/sekisho/sekisho",
      "r-xp /opt/sekisho/sekisho",
      "r-xp /tmp/.sekisho-libsql-f6c322c857c99e43.node",
      "r-xp /usr/lib/x86_64-linux-gnu/libc.so.6",
    ]);
  });

  it("never chooses a writable, shared, anonymous or copied-on-write mapping, nor a file that is neither the executable nor a library", () => {
    const mapping = fc.record({
      start: fc.integer({ min: 0, max: 2 ** 40 }),
      len: fc.integer({ min: 0, max: 2 ** 24 }),
      perms: fc.tuple(fc.constantFrom("r", "-"), fc.constantFrom("w", "-"), fc.constantFrom("x", "-"), fc.constantFrom("p", "s")).map((p) => p.join("")),
      path: fc.constantFrom("", "[heap]", "[stack]", "[vdso]", "/x/sekisho", "/x/sekisho (deleted)", "/lib/libc.so.6", "/t/a.node", "/t/orders.db", "/t/orders.db-shm", "/memfd:jit (deleted)", "/dev/zero"),
      rssKb: fc.integer({ min: -1, max: 4096 }),
      anonymousKb: fc.integer({ min: -1, max: 4096 }),
    }).map(({ start, len, ...m }): Mapping => ({ ...m, start, end: start + len }));
    fc.assert(fc.property(fc.array(mapping, { maxLength: 30 }), (maps) => {
      for (const m of droppableMappings(maps, "/x/sekisho")) {
        expect(m.perms[1]).toBe("-");
        expect(m.perms[3]).toBe("p");
        expect(m.anonymousKb).toBe(0);
        expect(m.rssKb).toBeGreaterThan(0);
        expect(m.end).toBeGreaterThan(m.start);
        expect(["/x/sekisho", "/lib/libc.so.6", "/t/a.node"]).toContain(m.path);
      }
    }));
  });

  it("on this Linux process's own smaps: chooses the executable's code, and nothing writable", () => {
    if (process.platform !== "linux") return;
    const maps = parseSmaps(readFileSync("/proc/self/smaps", "utf8"));
    const exe = readlinkSync("/proc/self/exe");
    const chosen = droppableMappings(maps, exe);
    expect(chosen.some((m) => m.path === exe && m.perms === "r-xp")).toBe(true);
    expect(chosen.every((m) => m.perms[1] === "-" && m.anonymousKb === 0)).toBe(true);
  });
});

describe("libcPath", () => {
  it("finds glibc's libc.so.6 and musl's loader, which is musl's libc", () => {
    expect(libcPath(parseSmaps(SMAPS))).toBe("/usr/lib/x86_64-linux-gnu/libc.so.6");
    const musl = parseSmaps("7f0000000000-7f0000100000 r-xp 00000000 fe:00 1 /lib/ld-musl-x86_64.so.1\n");
    expect(libcPath(musl)).toBe("/lib/ld-musl-x86_64.so.1");
    expect(libcPath(parseSmaps("7f0000000000-7f0000100000 r-xp 00000000 fe:00 1 /lib/libcrypto.so.3\n"))).toBeUndefined();
  });
});
