#!/usr/bin/env python3
"""Writes a mutant of one consensus source: the pristine file with a spec's hunks applied.

    apply_mutant.py SPEC PRISTINE OUT      write the mutated source to OUT (the build does this)
    apply_mutant.py --check SPEC... [--root DIR]
                                           check that every spec still applies to the tree
    apply_mutant.py --check-link MAP ARCHIVE
                                           fail if the linker map MAP took any member of ARCHIVE
                                           (a mutant executable must take no object of the real
                                           engine, libjoet_consensus.a, which other libraries bring)

A spec (tests/sim/mutants/NAME.mutant) is '#' comment lines, one 'target: PATH' line (the file it
mutates, relative to the repo root) and one or more hunks:

    <<<<<<< FIND
    exact lines of the pristine file
    =======
    the lines that replace them
    >>>>>>> REPLACE

Each FIND must occur exactly once in the pristine file, and no two hunks may overlap; otherwise this
exits non-zero naming the mutant, the file and the hunk, so a mutant whose text drifted away breaks
the build instead of silently testing the pristine engine. The mutated file ends with a definition
of joet::consensus::mutant::name() (the mutant's name): the mutant test prints it, which also makes
the linker pull this object and fail on duplicate symbols if the pristine one came along too.
"""
import os
import sys

FIND, SEP, END = "<<<<<<< FIND", "=======", ">>>>>>> REPLACE"


class SpecError(Exception):
    pass


def parse(spec_path):
    """Returns (target, [(find, replace), ...]) from a spec file."""
    name = mutant_name(spec_path)
    with open(spec_path, encoding="utf-8") as f:
        lines = f.read().splitlines(keepends=True)
    target, hunks = None, []
    state, find, replace = "outside", [], []
    for number, line in enumerate(lines, 1):
        bare = line.rstrip("\r\n")
        if state == "outside":
            if bare == FIND:
                state, find, replace = "find", [], []
            elif bare.startswith("target:"):
                if target is not None:
                    raise SpecError(f"mutant {name}: {spec_path}:{number}: a second 'target:' line")
                target = bare[len("target:"):].strip()
            elif bare.strip() and not bare.startswith("#"):
                raise SpecError(f"mutant {name}: {spec_path}:{number}: expected '#', 'target:' or '{FIND}', got {bare!r}")
        elif state == "find":
            if bare == SEP:
                state = "replace"
            elif bare in (FIND, END):
                raise SpecError(f"mutant {name}: {spec_path}:{number}: {bare!r} inside FIND of hunk {len(hunks) + 1}")
            else:
                find.append(line if line.endswith("\n") else line + "\n")
        else:  # replace
            if bare == END:
                hunks.append(("".join(find), "".join(replace)))
                state = "outside"
            elif bare in (FIND, SEP):
                raise SpecError(f"mutant {name}: {spec_path}:{number}: {bare!r} inside REPLACE of hunk {len(hunks) + 1}")
            else:
                replace.append(line if line.endswith("\n") else line + "\n")
    if state != "outside":
        raise SpecError(f"mutant {name}: {spec_path}: hunk {len(hunks) + 1} is not closed with {END!r}")
    if target is None:
        raise SpecError(f"mutant {name}: {spec_path}: no 'target:' line")
    if not hunks:
        raise SpecError(f"mutant {name}: {spec_path}: no hunks")
    for i, (find_text, replace_text) in enumerate(hunks, 1):
        if not find_text.strip():
            raise SpecError(f"mutant {name}: {spec_path}: hunk {i} has an empty FIND")
        if find_text == replace_text:
            raise SpecError(f"mutant {name}: {spec_path}: hunk {i} changes nothing")
    return target, hunks


def mutant_name(spec_path):
    base = os.path.basename(spec_path)
    return base[: -len(".mutant")] if base.endswith(".mutant") else base


def occurrences(text, needle):
    out, start = [], text.find(needle)
    while start != -1:
        out.append(start)
        start = text.find(needle, start + 1)  # overlapping matches count too
    return out


def mutate(spec_path, target, hunks, pristine_text):
    name = mutant_name(spec_path)
    spans = []
    for i, (find_text, _) in enumerate(hunks, 1):
        first_line = find_text.splitlines()[0].strip()
        found = occurrences(pristine_text, find_text)
        if len(found) != 1:
            raise SpecError(f"mutant {name}: {target}: hunk {i} (FIND starting {first_line!r}) occurs "
                            f"{len(found)} times, expected exactly once; update {spec_path}")
        spans.append((found[0], found[0] + len(find_text), i))
    spans.sort()
    for (_, end_a, a), (start_b, _, b) in zip(spans, spans[1:]):
        if start_b < end_a:
            raise SpecError(f"mutant {name}: {target}: hunks {a} and {b} overlap")
    out, at = [], 0
    for start, end, i in spans:
        out.append(pristine_text[at:start])
        out.append(hunks[i - 1][1])
        at = end
    out.append(pristine_text[at:])
    out.append(f"\n// Appended by tests/sim/mutants/apply_mutant.py: this is mutant {name} of {target}.\n"
               f"namespace joet::consensus::mutant {{\n"
               f"const char* name() {{ return \"{name}\"; }}\n"
               f"}}  // namespace joet::consensus::mutant\n")
    return "".join(out)


def write(spec_path, pristine_path, out_path):
    target, hunks = parse(spec_path)
    if not os.path.abspath(pristine_path).replace(os.sep, "/").endswith("/" + target):
        raise SpecError(f"mutant {mutant_name(spec_path)}: the spec targets {target}, but was given {pristine_path}")
    with open(pristine_path, encoding="utf-8") as f:
        text = mutate(spec_path, target, hunks, f.read())
    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out_path)


def check(specs, root):
    failed = 0
    for spec in specs:
        try:
            target, hunks = parse(spec)
            with open(os.path.join(root, target), encoding="utf-8") as f:
                mutate(spec, target, hunks, f.read())
            print(f"ok   {mutant_name(spec)}: {target}, {len(hunks)} hunk(s)")
        except (SpecError, OSError) as e:
            print(f"FAIL {e}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def check_link(map_path, archive):
    """Non-zero if the GNU ld map names a member of `archive` (by file name) as loaded."""
    with open(map_path, encoding="utf-8", errors="replace") as f:
        taken = sorted({line.split()[0] for line in f
                        if line.split() and os.path.basename(line.split()[0]).startswith(archive + "(")})
    if taken:
        print(f"apply_mutant.py: {map_path}: the link took objects of the real engine: {', '.join(taken)}", file=sys.stderr)
        return 1
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "--check-link":
        return check_link(argv[2], argv[3])
    if len(argv) >= 2 and argv[1] == "--check":
        args, root = argv[2:], os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
        if "--root" in args:
            i = args.index("--root")
            root, args = args[i + 1], args[:i] + args[i + 2:]
        if not args:
            print(__doc__, file=sys.stderr)
            return 2
        return check(args, root)
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        write(argv[1], argv[2], argv[3])
    except (SpecError, OSError) as e:
        print(f"apply_mutant.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
